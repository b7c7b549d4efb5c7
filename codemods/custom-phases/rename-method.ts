/**
 * A jscodeshift transform that renames a method across a repo, written to run as an ssot-migrate
 * custom phase (manifest `customPhases`, kind "jscodeshift") or with jscodeshift's own CLI:
 *
 *   { "name": "rename-send", "kind": "jscodeshift", "after": "rewrite-imports",
 *     "path": "node_modules/ssot-migrate/dist/codemods/custom-phases/rename-method.js",
 *     "options": { "from": "sendMessage", "to": "sendToUser" }, "prefilter": ["sendMessage"] }
 *
 * Renamed: calls (`x.from(…)`, `x?.from(…)`, `x['from'](…)`, `super.from(…)`), and declarations
 * of the method in classes, interfaces, type literals and object literals. Not renamed: a
 * property read without a call, other names that contain `from`, strings and comments. It is
 * syntax only: every method of that name is renamed, whatever its receiver's type.
 *
 * jscodeshift finds the nodes; the names are then spliced into the original text at their
 * line:column instead of reprinted by recast (which rewrites CRLF to LF), so line endings, a BOM,
 * quotes and layout stay byte-exact.
 */
import type { API, ASTPath, FileInfo, Options } from 'jscodeshift';

export const parser = 'tsx';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

interface Named {
  type: string;
  name?: string;
  value?: unknown;
  loc?: { start: { line: number; column: number } } | null;
}

export default function renameMethod(file: FileInfo, api: API, options: Options): string | undefined {
  const from = String(options['from'] ?? '');
  const to = String(options['to'] ?? '');
  if (!IDENTIFIER.test(from) || !IDENTIFIER.test(to)) throw new Error(`rename-method: options.from and options.to must be identifiers, got ${JSON.stringify(from)} → ${JSON.stringify(to)}`);
  if (from === to || !file.source.includes(from)) return undefined;
  const j = api.jscodeshift;
  const root = j(file.source);
  const src = file.source;
  const lineStarts = [0];
  for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const bom = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  const edits = new Map<number, { end: number; text: string }>();

  /** Where `expected` sits in the original text for a node at line:column (a BOM may or may not be counted). */
  const offsetOf = (key: Named, ...expected: string[]): { at: number; text: string } => {
    const start = key.loc?.start;
    if (!start) throw new Error(`rename-method: ${file.path}: a node without a location`);
    const at = (lineStarts[start.line - 1] ?? NaN) + start.column;
    for (const o of start.line === 1 && bom ? [at + bom, at] : [at]) for (const text of expected) if (src.startsWith(text, o)) return { at: o, text };
    throw new Error(`rename-method: ${file.path}:${start.line}:${start.column + 1}: expected ${expected.join(' or ')} there; file left alone`);
  };

  /** Renames an identifier key, or a string-literal key keeping its quotes. */
  const rename = (key: Named | null | undefined, computed: boolean): void => {
    if (!key) return;
    if (key.type === 'Identifier' && !computed && key.name === from) {
      const { at } = offsetOf(key, from);
      edits.set(at, { end: at + from.length, text: to });
    } else if ((key.type === 'StringLiteral' || key.type === 'Literal') && key.value === from) {
      const { at, text } = offsetOf(key, `'${from}'`, `"${from}"`);
      edits.set(at, { end: at + text.length, text: `${text[0]}${to}${text[0]}` });
    }
  };

  // Calls: the member expression is the callee (plain, optional, computed with a string, super).
  const calls = (p: ASTPath<{ callee: unknown }>) => {
    const callee = p.node.callee as { type: string; property?: Named; computed?: boolean };
    if (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') rename(callee.property, callee.computed === true);
  };
  root.find(j.CallExpression).forEach(calls);
  root.find(j.OptionalCallExpression).forEach(calls);

  // Declarations: class methods (incl. abstract / overloads), interface and type-literal members, object-literal methods.
  for (const type of [j.ClassMethod, j.TSDeclareMethod, j.TSMethodSignature, j.ObjectMethod, j.ClassPrivateMethod] as const)
    root.find(type as typeof j.ClassMethod).forEach((p) => rename(p.node.key as Named, (p.node as { computed?: boolean }).computed === true));

  if (edits.size === 0) return undefined;
  let out = '';
  let at = 0;
  for (const [start, e] of [...edits].sort((a, b) => a[0] - b[0])) {
    out += src.slice(at, start) + e.text;
    at = e.end;
  }
  return out + src.slice(at);
}
