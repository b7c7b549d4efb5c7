/**
 * The frozen body: the original module text, byte for byte, except that specifiers reaching
 * another strangled module now name that module's frozen sibling. (If a frozen factory
 * imported a facade, the shim's legacy mode would route back through the shim.)
 */
import ts from 'typescript';
import { applyEdits } from '../engine/edits.js';
import { parseSource } from '../engine/parse.js';
import type { ModuleResolver } from '../engine/resolve.js';
import type { Edit } from '../engine/types.js';
import { frozenPathOf, relativeSpecifier } from './layout.js';

/** Every module specifier literal in a file: imports, re-exports, `import x = require()`, `require()`, `import()`, `import('…')` types. */
export function specifierLiterals(sf: ts.SourceFile): ts.StringLiteralLike[] {
  const out: ts.StringLiteralLike[] = [];
  const visit = (n: ts.Node): void => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteralLike(n.moduleSpecifier)) out.push(n.moduleSpecifier);
    else if (ts.isExternalModuleReference(n) && ts.isStringLiteralLike(n.expression)) out.push(n.expression);
    else if (ts.isCallExpression(n) && n.arguments.length >= 1 && ts.isStringLiteralLike(n.arguments[0]!)) {
      const callee = n.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) out.push(n.arguments[0] as ts.StringLiteralLike);
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) out.push(n.argument.literal);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** The original text with specifiers of strangled modules pointed at their frozen siblings. */
export function frozenText(file: string, text: string, resolver: ModuleResolver, strangled: ReadonlyMap<string, string>): { text: string; edits: number } {
  const { sf } = parseSource(file, text);
  const bomShift = text.charCodeAt(0) === 0xfeff && sf.text.charCodeAt(0) !== 0xfeff ? 1 : 0;
  const edits: Edit[] = [];
  for (const lit of specifierLiterals(sf)) {
    const target = resolver.resolve(lit.text, file);
    const targetFile = target === undefined ? undefined : strangled.get(target);
    if (targetFile === undefined) continue;
    const withJs = /\.[mc]?js$/.test(lit.text);
    const next = relativeSpecifier(file, frozenPathOf(targetFile), withJs);
    const q = text[lit.getStart() + bomShift] ?? "'";
    edits.push({ start: lit.getStart() + bomShift, end: lit.getEnd() + bomShift, text: `${q}${next}${q}` });
  }
  return { text: applyEdits(text, edits), edits: edits.length };
}
