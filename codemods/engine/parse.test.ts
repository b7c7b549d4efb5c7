import { describe, expect, it } from 'vitest';
import ts from './ts-api.js';
import { parseSource, scriptKindOf } from './parse.js';

/** Every node in document order, each JSDoc comment's tree before the node it documents. */
function nodesOf(sf: ts.SourceFile): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (n: ts.Node): void => {
    out.push(n);
    for (const d of (n as { jsDoc?: ts.Node[] }).jsDoc ?? []) visit(d);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

const SOURCES: Array<[string, string]> = [
  [
    'a.ts',
    [
      "import def, { A as B, type C } from './legacy';",
      'export * as ns from "./x";',
      '/** @param x the {@link A} value\n * @returns {import("./legacy").B} */',
      'export function f<T extends A>(x: T, { y = 1, ...rest }: { y?: number }): B { label: for (;;) break label; return x as unknown as B; }',
      'class K implements C { #p = 1; get q() { return this.#p; } static { const z = `t${1}`; } }',
      'const g = async () => (await import("./legacy")).A; declare module "m" { export = K; }',
    ].join('\n'),
  ],
  ['b.tsx', 'import React from "react";\n/** doc */\nexport const X = () => <div a="1" {...{ b: 2 }}><span>{1}</span></div>;\n'],
  ['c.js', "/** @type {import('./legacy').A} */\nconst a = require('./legacy');\n/** @typedef {{ x: number }} T */\nmodule.exports = { a };\n"],
];

describe('parseSource parent pointers', () => {
  for (const [file, text] of SOURCES)
    it(`match createSourceFile's setParentNodes (${file}, JSDoc included)`, () => {
      const want = nodesOf(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file)));
      const got = nodesOf(parseSource(file, text).sf);
      expect(got.map((n) => ts.SyntaxKind[n.kind])).toEqual(want.map((n) => ts.SyntaxKind[n.kind]));
      const index = (nodes: ts.Node[]) => new Map(nodes.map((n, i) => [n, i]));
      const wi = index(want);
      const gi = index(got);
      const parents = (nodes: ts.Node[], at: Map<ts.Node, number>) => nodes.map((n) => (n.parent === undefined ? -1 : at.get(n.parent)));
      expect(parents(got, gi)).toEqual(parents(want, wi));
      expect(want.some((n) => n.kind >= ts.SyntaxKind.FirstJSDocNode && n.kind <= ts.SyntaxKind.LastJSDocNode)).toBe(true);
    });
});

describe('parseSource without JSDoc (jsDoc: false)', () => {
  const isJsDoc = (n: ts.Node): boolean => n.kind >= ts.SyntaxKind.FirstJSDocNode && n.kind <= ts.SyntaxKind.LastJSDocNode;
  const kinds = (nodes: ts.Node[]) => nodes.map((n) => `${ts.SyntaxKind[n.kind]}@${n.pos}-${n.end}`);

  for (const [file, text] of SOURCES.filter(([f]) => /\.tsx?$/.test(f)))
    it(`a TypeScript file: the same tree and parents as with JSDoc, less the JSDoc trees (${file})`, () => {
      const withDocs = nodesOf(parseSource(file, text).sf);
      const got = nodesOf(parseSource(file, text, { jsDoc: false }).sf);
      expect(withDocs.some(isJsDoc)).toBe(true);
      expect(got.some(isJsDoc)).toBe(false);
      expect(kinds(got)).toEqual(kinds(withDocs.filter((n) => !isJsDoc(n) && !hasJsDocAncestor(n))));
      const at = new Map(got.map((n, i) => [n, i]));
      const want = nodesOf(ts.createSourceFile(file, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, true, scriptKindOf(file)));
      const wantAt = new Map(want.map((n, i) => [n, i]));
      expect(got.map((n) => (n.parent === undefined ? -1 : at.get(n.parent)))).toEqual(want.map((n) => (n.parent === undefined ? -1 : wantAt.get(n.parent))));
    });

  it('the same parse error, and none for a JSDoc comment JSDoc cannot parse', () => {
    const bad = '/** @param {Legacy m */\nexport const a = 1;\n/** {@link */\nconst b = (;\n';
    expect(parseSource('x.ts', bad, { jsDoc: false }).error).toEqual(parseSource('x.ts', bad).error);
    expect(parseSource('x.ts', bad, { jsDoc: false }).error).toMatchObject({ line: 4, column: 12 });
    const badDocOnly = '/** @param {Legacy m */\nexport const a = 1;\n/** @type {{ */\nconst b = 2;\n';
    expect(parseSource('x.ts', badDocOnly).error).toBeUndefined();
    expect(parseSource('x.ts', badDocOnly, { jsDoc: false }).error).toBeUndefined();
  });

  it('a JavaScript file keeps its JSDoc (its types and typedefs are part of what the checker binds)', () => {
    const [file, text] = SOURCES.find(([f]) => f.endsWith('.js'))!;
    expect(nodesOf(parseSource(file, text, { jsDoc: false }).sf).some(isJsDoc)).toBe(true);
  });
});

/** Inside a JSDoc comment's tree (whose nodes' parents parseSource sets to the JSDoc node). */
function hasJsDocAncestor(n: ts.Node): boolean {
  for (let p = n.parent; p !== undefined; p = p.parent) if (p.kind >= ts.SyntaxKind.FirstJSDocNode && p.kind <= ts.SyntaxKind.LastJSDocNode) return true;
  return false;
}
