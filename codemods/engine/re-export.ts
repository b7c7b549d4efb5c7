import ts from './ts-api.js';

/** A top-level `export { … } from '…'` entry exporting `name`: a name the module only passes through. */
export interface PassThrough {
  decl: ts.ExportDeclaration & { moduleSpecifier: ts.StringLiteral; exportClause: ts.NamedExports };
  element: ts.ExportSpecifier;
}

/** The entry of `sf` that re-exports `name` from another module (`export { WebSocket } from 'ws'`), if any. */
export function passThroughOf(sf: ts.SourceFile, name: string): PassThrough | undefined {
  for (const st of sf.statements) {
    if (!ts.isExportDeclaration(st) || !st.moduleSpecifier || !ts.isStringLiteral(st.moduleSpecifier) || !st.exportClause || !ts.isNamedExports(st.exportClause)) continue;
    const element = st.exportClause.elements.find((e) => e.name.text === name);
    if (element) return { decl: st as PassThrough['decl'], element };
  }
  return undefined;
}
