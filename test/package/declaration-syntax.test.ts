/**
 * The declarations a repo's own TypeScript reads (what a strangled facade and a rewritten call site
 * import: every exported subpath) parse with TypeScript 4.4, the oldest 4.x a legacy backend still
 * pins (the README promises a repo keeps its TypeScript, 4.x included). `tsc` copies an import's
 * form into the emitted `.d.ts`, so an inline type modifier (`import { a, type B }`, TS 4.5) in a
 * source reachable from an entry point is a parse error (TS1005) in every such repo's typecheck —
 * which made strangle's verification fail on JeLLek1/PIM-chess-app (TypeScript 4.4.3). Also refused:
 * `const` type parameters (TS 5.0), and lib types 4.4 lacks (`Awaited`, `NoInfer`: TS2304 there). The walk is over the sources (what the
 * declarations are emitted from), so no build is needed.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { types?: string } | string> };

/** dist/x/y.d.ts -> x/y.ts */
const sourceOf = (types: string): string => path.join(ROOT, types.replace(/^\.\/dist\//, '').replace(/\.d\.ts$/, '.ts'));

/** Lib types a TypeScript 4.4 repo does not have (TS2304 "Cannot find name" in its typecheck). */
const NEWER_LIB_TYPES = new Map([
  ['Awaited', 'TS 4.5'],
  ['NoInfer', 'TS 5.4'],
]);

function newerSyntax(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (n: ts.Node, what: string) => found.push(`${path.relative(ROOT, file)}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1} ${what}`);
  const visit = (n: ts.Node): void => {
    if ((ts.isImportSpecifier(n) || ts.isExportSpecifier(n)) && n.isTypeOnly) at(n, `inline type modifier on ${n.name.text} (TS 4.5)`);
    if (ts.isTypeParameterDeclaration(n) && n.modifiers?.some((m) => m.kind === ts.SyntaxKind.ConstKeyword)) at(n, `const type parameter ${n.name.text} (TS 5.0)`);
    if (ts.isTypeReferenceNode(n) && ts.isIdentifier(n.typeName) && NEWER_LIB_TYPES.has(n.typeName.text)) at(n, `lib type ${n.typeName.text} (${NEWER_LIB_TYPES.get(n.typeName.text)})`);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/** Relative imports and re-exports of a source, as source paths (`./x.js` -> `./x.ts`). */
function relativeDeps(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  for (const st of sf.statements) {
    const spec = (ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
    if (!spec?.startsWith('.')) continue;
    const base = path.resolve(path.dirname(file), spec.replace(/\.js$/, ''));
    for (const cand of [`${base}.ts`, path.join(base, 'index.ts')]) if (existsSync(cand)) out.push(cand);
  }
  return out;
}

describe('declarations readable by TypeScript 4.4', () => {
  it('no source reachable from an exported subpath uses syntax newer than TS 4.4 in its declarations', () => {
    // The code-facing subpaths (what app code and facades import); '.' runs the CLI in process and
    // is imported by tools, not by a backend's own sources.
    const entries = Object.entries(pkg.exports).flatMap(([k, v]) => (k !== '.' && typeof v === 'object' && v.types ? [sourceOf(v.types)] : []));
    expect(entries.length).toBeGreaterThan(3);
    const seen = new Set<string>();
    const queue = [...entries];
    while (queue.length > 0) {
      const f = queue.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      queue.push(...relativeDeps(f));
    }
    expect(seen.size).toBeGreaterThan(entries.length);
    expect([...seen].flatMap(newerSyntax)).toEqual([]);
  });
});
