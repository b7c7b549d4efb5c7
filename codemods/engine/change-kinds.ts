/**
 * What a file's change touches, read from its text before and after: its import lists (the
 * import/export-from/import-equals declarations and `require()`s import-forms.ts finds) and its
 * code outside them. A phase's commit summary counts files from this, so each count says what
 * the committed diff shows: remove-adapters used to count "import lists rewritten" as the files
 * whose text differed from its own plan's (0 when the plan itself had rewritten the imports).
 */
import { moduleReferences, referenceSites, type ModuleReference } from './import-forms.js';
import { parseSource } from './parse.js';
import ts from './ts-api.js';

export interface ChangeKinds {
  /** A module reference declared, dropped or changed (specifier, names, aliases, type-only). */
  imports: boolean;
  /** Code outside those declarations changed (comments and layout do not count: a TODO(ssot) marker alone is not a rewrite). */
  code: boolean;
}

/** The reference forms that are declarations of what a file imports (dynamic import() and import('m').T are code). */
const DECLARED = new Set<ModuleReference['kind']>(['import', 'export', 'import-equals', 'require']);

/** One line per declared reference: its form, module and the names it binds, in document order. */
function importList(refs: readonly ModuleReference[]): string[] {
  return refs
    .filter((r) => DECLARED.has(r.kind))
    .map((r) => {
      const local = ts.isImportEqualsDeclaration(r.node) ? ` ${r.node.isTypeOnly ? 'type ' : ''}${r.node.name.text}` : '';
      const sites = referenceSites(r).map((s) => `${s.form}:${s.name ?? ''}:${s.alias ?? ''}`);
      return `${r.kind} ${r.specifier}${local} ${sites.join(',')}`;
    });
}

/** The top-level statement a declared reference stands in, when the whole statement is that declaration. */
function declarationStatement(r: ModuleReference, sf: ts.SourceFile): ts.Statement | undefined {
  if (r.kind === 'import' || r.kind === 'export' || r.kind === 'import-equals') return r.node.parent === sf ? (r.node as ts.Statement) : undefined;
  if (r.kind !== 'require') return undefined;
  // `const x = require('m')`, `const { a } = require('m')`, `require('m');`: the statement is the import
  let v: ts.Node = r.node;
  while (ts.isParenthesizedExpression(v.parent) || ts.isAsExpression(v.parent) || ts.isPropertyAccessExpression(v.parent)) v = v.parent;
  const p = v.parent;
  if (ts.isExpressionStatement(p) && p.parent === sf) return p;
  if (ts.isVariableDeclaration(p) && p.initializer === v && ts.isVariableDeclarationList(p.parent) && p.parent.declarations.length === 1 && ts.isVariableStatement(p.parent.parent) && p.parent.parent.parent === sf) return p.parent.parent;
  return undefined;
}

/** Made on first use: TypeScript loads when a file is first parsed, not when this module is (ts-api.js). */
let printer: ts.Printer | undefined;

/** The file's statements without its import declarations. */
function codeStatements(sf: ts.SourceFile, refs: readonly ModuleReference[]): ts.Statement[] {
  const imports = new Set(refs.map((r) => declarationStatement(r, sf)).filter((s) => s !== undefined));
  return sf.statements.filter((s) => !imports.has(s));
}

/**
 * Whether the code outside the import declarations differs, comments and layout aside: statement
 * by statement, a pair whose text differs printed without comments (the printer is the costly
 * part, so a pair with the same text is not printed, and the first real difference ends it).
 */
function codeDiffers(a: ts.SourceFile, sa: readonly ts.Statement[], b: ts.SourceFile, sb: readonly ts.Statement[]): boolean {
  if (sa.length !== sb.length) return true;
  const print = (s: ts.Statement, sf: ts.SourceFile): string => (printer ??= ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed })).printNode(ts.EmitHint.Unspecified, s, sf);
  return sa.some((s, i) => s.getText(a) !== sb[i]!.getText(b) && print(s, a) !== print(sb[i]!, b));
}

/**
 * What changed between `before` and `after` of `file`. A side that does not parse is compared as
 * text (both kinds count as changed when the texts differ): a phase writes no such file, and a
 * count must not be lowered by a guess.
 */
export function changeKinds(file: string, before: string, after: string): ChangeKinds {
  if (before === after) return { imports: false, code: false };
  const a = parseSource(file, before, { jsDoc: false });
  const b = parseSource(file, after, { jsDoc: false });
  if (a.error || b.error) return { imports: true, code: true };
  const ra = moduleReferences(a.sf);
  const rb = moduleReferences(b.sf);
  const la = importList(ra);
  const lb = importList(rb);
  return { imports: la.length !== lb.length || la.some((x, i) => x !== lb[i]), code: codeDiffers(a.sf, codeStatements(a.sf, ra), b.sf, codeStatements(b.sf, rb)) };
}
