/**
 * Manifest values never reach code unescaped. The loader refuses a module specifier with quotes
 * or ";" (naming the field); behind it, each write point writes through the printer's
 * string-literal escaping (codemods/engine/literal.ts), so even a manifest object that skipped
 * the loader yields code whose only change is a string: rewrite-imports' specifier,
 * remove-adapters' canonical import, and strangle's generated facade table (free text,
 * `legacy[].replacement`, which the loader allows, through the real loader and phase).
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project, ts as morphTs } from 'ts-morph';
import ts from 'typescript';
import { afterAll, describe, expect, test } from 'vitest';
import { RepoSnapshot } from '../../codemods/index.js';
import { contextFrom } from '../../codemods/engine/context.js';
import { identifierText, stringLiteral, UnsafeNameError } from '../../codemods/engine/literal.js';
import { parseSource } from '../../codemods/engine/parse.js';
import { processFile } from '../../codemods/engine/process.js';
import { makeRuntime } from '../../codemods/engine/transform.js';
import { analyzeRemoveAdapters } from '../../codemods/remove-adapters/analyze.js';
import { rewriteImportsTransform } from '../../codemods/rewrite-imports/transform.js';
import { stranglePhase } from '../../codemods/strangle/phase.js';
import { parseManifest, type SsotManifest } from '../../manifest/index.js';
import { withDefaults } from '../helpers/fixture-manifest.js';
import { goodManifest, makeCheckRepo } from './fixture.js';

const EVIL = `x'"; import('fs').then((f) => f.rmSync('/tmp/ssot-none')); //\u2028\\`;

/** What an injection would add: a dynamic import, or any statement beyond the expected ones. */
function dynamicImports(file: string, text: string): number {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  let n = 0;
  const walk = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) n++;
    ts.forEachChild(node, walk);
  };
  walk(sf);
  return n;
}
const specifiers = (file: string, text: string): string[] =>
  ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS).statements.filter(ts.isImportDeclaration).map((d) => (d.moduleSpecifier as ts.StringLiteral).text);

const repos: string[] = [];
afterAll(() => repos.forEach((r) => rmSync(r, { recursive: true, force: true })));

describe('the printer escaping and the identifier check', () => {
  test('a string literal round-trips every character; letters of any script stay readable', () => {
    for (const q of ["'", '"'] as const) {
      const lit = stringLiteral(EVIL, q);
      const sf = ts.createSourceFile('x.ts', `const s = ${lit};`, ts.ScriptTarget.Latest, true);
      expect(sf.statements).toHaveLength(1);
      const init = (sf.statements[0] as ts.VariableStatement).declarationList.declarations[0]!.initializer as ts.StringLiteral;
      expect(init.text).toBe(EVIL);
    }
    expect(stringLiteral('@scope/paquet-été/日本')).toBe("'@scope/paquet-été/日本'");
    expect(stringLiteral('notify(…) → emit')).toBe("'notify(…) → emit'");
    expect(stringLiteral('a\u2028b\u0000c\u200Bd')).toBe("'a\\u2028b\\0c\\u200Bd'");
  });

  test('a name written as a bare word must be an identifier', () => {
    expect(identifierText('createWebSocketManager', 'canonical.factory')).toBe('createWebSocketManager');
    expect(() => identifierText('a }; evil(); {', 'canonical.factory')).toThrow(UnsafeNameError);
    expect(() => identifierText('class', 'canonical.factory')).toThrow('canonical.factory: "class" is not an identifier; it is not written into code');
  });
});

describe('write points', () => {
  test('the loader refuses the specifier, naming the field', () => {
    const m = goodManifest() as { canonical: Record<string, unknown> };
    m.canonical['module'] = EVIL;
    expect(() => parseManifest(JSON.stringify(m))).toThrow(/canonical\.module: expected a module path or specifier [\s\S]* a manifest value is never written into code unless it is one/);
  });

  test('rewrite-imports: the canonical specifier is one string literal, whatever it holds', () => {
    const manifest = withDefaults({ canonical: { module: EVIL, exports: ['NEW'] } as SsotManifest['canonical'], legacy: [{ id: 'WSM001', module: 'src/old', symbols: { OLD: 'NEW' } }] });
    const old = parseSource('src/old.ts', 'export const OLD = 1;\n').sf;
    const ctx = contextFrom(manifest, { knownModules: ['src/old', 'src/app/a'], pathsBase: '.', paths: {} }, (id) => (id === 'src/old' ? old : undefined));
    for (const input of ["import { OLD } from '../old';\nexport const a = OLD;\n", 'import { OLD } from "../old";\nexport const a = OLD;\n']) {
      const r = processFile('src/app/a.ts', input, rewriteImportsTransform, makeRuntime(ctx));
      expect(r.after).toBeDefined();
      expect(dynamicImports('a.ts', r.after!)).toBe(0);
      expect(specifiers('a.ts', r.after!)).toEqual([EVIL]);
      expect(parseSource('src/app/a.ts', r.after!).error).toBeUndefined();
    }
  });

  test('remove-adapters: the canonical factory import is one string literal', () => {
    const dir = fileURLToPath(new URL('../../codemods/remove-adapters/__testfixtures__', import.meta.url));
    const spec = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { manifest: Partial<SsotManifest>; modules: Record<string, string> };
    const manifest = withDefaults({ ...spec.manifest, canonical: { ...spec.manifest.canonical!, module: EVIL } });
    const file = 'src/app/ctx-param.ts';
    const files = new Map<string, string>([...Object.entries(spec.modules), [file, readFileSync(join(dir, 'ctx-param.input.ts'), 'utf8')]]);
    const project = () => {
      const p = new Project({ useInMemoryFileSystem: true, compilerOptions: { strict: true, module: morphTs.ModuleKind.ES2022, moduleResolution: morphTs.ModuleResolutionKind.Bundler, target: morphTs.ScriptTarget.ES2022, noEmit: true, lib: ['lib.es2022.d.ts'] } });
      for (const [f, text] of files) if (!f.endsWith('.json')) p.createSourceFile(`/repo/${f}`, text.replace(/^\uFEFF/, ''));
      return p;
    };
    const r = analyzeRemoveAdapters('/repo', manifest, [file], (f) => files.get(f), project);
    const after = r.changes.find((c) => c.file === file)?.after;
    expect(after).toBeDefined();
    expect(dynamicImports(file, after!)).toBe(0);
    expect(specifiers(file, after!)).toContain(EVIL);
    expect(parseSource(file, after!).error).toBeUndefined();
  });

  test('strangle: free text (legacy[].replacement) in the generated facade table stays a string', async () => {
    const m = goodManifest() as { legacy: Array<Record<string, unknown>> };
    m.legacy[1]!['replacement'] = EVIL;
    const repo = makeCheckRepo(m);
    repos.push(repo);
    const snapshot = await RepoSnapshot.open(repo);
    snapshot.checkManifest();
    const plan = await stranglePhase.plan(snapshot, {});
    const facade = plan.writes.find((w) => w.path === 'src/ws/manager.ts')?.content;
    expect(typeof facade).toBe('string');
    const text = facade as string;
    expect(dynamicImports('factory.ts', text)).toBe(0);
    expect(parseSource('src/ws/factory.ts', text).error).toBeUndefined();
    // the table holds the text itself (a line break would become a space; there is none here)
    const strings: string[] = [];
    const walk = (n: ts.Node): void => {
      if (ts.isStringLiteral(n)) strings.push(n.text);
      ts.forEachChild(n, walk);
    };
    walk(ts.createSourceFile('f.ts', text, ts.ScriptTarget.Latest, true));
    expect(strings, JSON.stringify(strings)).toContain(EVIL);
  }, 120_000);
});
