/**
 * Why a legacy import remains, when the reason is a boot construction: a file that still builds a
 * legacy class with `new` (server wiring, `new WebSocketManager(wss)`) keeps importing it until a
 * `constructions[]` entry says what that construction becomes (remove-adapters applies it). The
 * refusal then names the decision instead of only the import. Read from the text: the names the
 * file imports from the legacy module, constructed with `new`.
 */
import ts from '../engine/ts-api.js';
import type { SsotManifest } from '../../manifest/types.js';

/** `new X(` of a name the file imports, where X is a legacy class (classes[] or a legacy symbol) with no constructions[] entry. */
export function constructionHint(manifest: SsotManifest, file: string, text: string, line: number): string | undefined {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const imported = new Map<string, string>(); // local name → imported name, of the import on `line`
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || sf.getLineAndCharacterOfPosition(st.getStart(sf)).line + 1 !== line) continue;
    const nb = st.importClause?.namedBindings;
    if (nb && ts.isNamedImports(nb)) for (const e of nb.elements) imported.set(e.name.text, (e.propertyName ?? e.name).text);
    if (st.importClause?.name) imported.set(st.importClause.name.text, 'default');
  }
  const described = new Set((manifest.constructions ?? []).map((c) => c.class));
  const hits: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && imported.has(n.expression.text) && !described.has(imported.get(n.expression.text)!)) {
      hits.push(`new ${n.expression.text}(…) at ${file}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return hits.length ? `it builds the legacy manager itself (${hits.join(', ')}): describe what that construction becomes in constructions[] (manifest/README.md), then run remove-adapters again` : undefined;
}
