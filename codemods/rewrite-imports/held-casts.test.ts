/**
 * A cast of a place that still holds a legacy instance (a manager the app builds at boot and parks
 * on the global object, read back as `(global as any).wsManager as UnifiedWebSocketManager`) keeps
 * its legacy type through rewrite-imports: retyped canonical it is a false claim about the value,
 * which the type guard cannot catch when the only reader checks truthiness. The same answer as
 * remove-adapters' (engine/constructions.ts); the phase's whole plan (syntax run, type guard,
 * the held casts' scan) on real git repos: the fixtures' inputs, then their outputs (a second run
 * writes nothing), then the inputs as CRLF+BOM.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGitRepo } from '../../test/helpers/git-repo.js';
import { toCrlfBom } from '../../test/helpers/codemod-fixtures.js';
import { withDefaults } from '../../test/helpers/fixture-manifest.js';
import ts from '../engine/ts-api.js';
import { parseBareTree, parseSource } from '../engine/parse.js';
import { RepoSnapshot } from '../snapshot/snapshot.js';
import type { PhasePlan } from '../phase/types.js';
import { mayCast } from './held-casts.js';
import { rewriteImportsPhase } from './phase.js';

const dir = fileURLToPath(new URL('./__testfixtures__/held-casts', import.meta.url));
const spec = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { manifest: Parameters<typeof withDefaults>[0]; modules: Record<string, string>; expect: Record<string, { deferred?: number }> };
const cases = readdirSync(dir).filter((f) => f.endsWith('.input.ts')).map((f) => f.slice(0, -'.input.ts'.length)).sort();
const fileOf = (c: string): string => `src/app/${c}.ts`;
const input = (c: string): string => readFileSync(join(dir, `${c}.input.ts`), 'utf8');
const repos: string[] = [];
afterAll(() => repos.forEach((r) => rmSync(r, { recursive: true, force: true })));

async function plan(caseText: (c: string) => string): Promise<{ p: PhasePlan; out: (f: string) => string; files: Record<string, string> }> {
  const files: Record<string, string> = { ...spec.modules, ...Object.fromEntries(cases.map((c) => [fileOf(c), caseText(c)])), 'ssot.config.json': JSON.stringify(withDefaults(spec.manifest)) };
  const repo = makeGitRepo('ssot-held-casts-', files);
  repos.push(repo);
  const p = await rewriteImportsPhase.plan(await RepoSnapshot.open(repo), {});
  return { p, files, out: (f) => String(p.writes.find((w) => w.path === f)?.content ?? files[f]) };
}

describe('rewrite-imports: casts of a place holding a legacy instance (fixtures, whole phase plan)', () => {
  let first: Awaited<ReturnType<typeof plan>>;
  beforeAll(async () => {
    first = await plan(input);
  }, 180_000);

  it('has the cases', () => {
    expect(cases).toEqual(['held-global', 'held-namespace-assertion', 'held-union', 'unheld-casts']);
  });

  for (const c of cases) {
    it(`${c}: produces the expected output`, () => {
      const actual = first.out(fileOf(c));
      const outPath = join(dir, `${c}.output.ts`);
      if (process.env['UPDATE_FIXTURES'] === '1') writeFileSync(outPath, actual);
      expect(existsSync(outPath), `missing ${c}.output.ts`).toBe(true);
      expect(actual).toBe(readFileSync(outPath, 'utf8'));
      expect(parseSource(fileOf(c), actual).error).toBeUndefined();
    });
  }

  it('the construction that stays legacy is not rewritten; the one that becomes canonical is', () => {
    expect(first.out('src/server.ts')).toContain('new UnifiedWebSocketManager(wss)');
    expect(first.out('src/relay-boot.ts')).toContain('new RelayHub()');
  });

  it('says why each held cast keeps its legacy type (left for remove-adapters, which marks or retypes it)', () => {
    const held = first.p.files!.filter((f) => f.file.startsWith('src/app/')).flatMap((f) => f.problems.filter((p) => p.code === 'deferred').map((p) => `${f.file}: ${p.message}`));
    expect(held).toEqual([
      expect.stringMatching(/^src\/app\/held-global\.ts: UnifiedWebSocketManager .*`\(global as any\)\.wsManager` holds the legacy UnifiedWebSocketManager constructed at src\/server\.ts:6/),
      expect.stringMatching(/^src\/app\/held-namespace-assertion\.ts: unified .*`\(globalThis as any\)\['inlineManager'\]` holds the legacy UnifiedWebSocketManager constructed at src\/server\.ts:8/),
      expect.stringMatching(/^src\/app\/held-union\.ts: UnifiedWebSocketManager .*`\(global as any\)\.wsManager` holds the legacy UnifiedWebSocketManager constructed at src\/server\.ts:6/),
    ]);
  });

  it('changes nothing on a second run', async () => {
    const second = await plan((c) => first.out(fileOf(c)));
    expect(second.p.writes.map((w) => w.path).filter((f) => f.startsWith('src/app/'))).toEqual([]);
  }, 180_000);

  it('keeps CRLF line endings and the BOM', async () => {
    const crlf = await plan((c) => toCrlfBom(input(c)));
    for (const c of cases) expect(crlf.out(fileOf(c))).toBe(toCrlfBom(first.out(fileOf(c))));
  }, 180_000);
});

describe('rewrite-imports: which changed files are parsed for casts (mayCast)', () => {
  it('skips import and export aliases, keyword types and generic arguments; keeps every cast to a name', () => {
    expect(mayCast("import { UnifiedWebSocketManager as Hub } from './ws';\nexport { Hub as AppHub };\nimport * as ws from './ws';\nconst m = new Map<string, Hub>();\nconst p: Promise<void> = f<Hub>(x as const, y as unknown as string);\n")).toBe(false);
    expect(mayCast("import { A as B } from './ws';\nconst h = (global as any).m as B;\n")).toBe(true);
    expect(mayCast("import * as ws from './ws';\nfunction f() {\n  return <ws.Unified>x;\n}\n")).toBe(true);
    expect(mayCast('const h = y as\n  Legacy;\n')).toBe(true);
    expect(mayCast('const h = y as undefined | Legacy;\n')).toBe(true);
    expect(mayCast('const h = <null | Legacy>y;\n')).toBe(true);
    expect(mayCast('const h = <Legacy | null>y;\n')).toBe(true);
    expect(mayCast("import {\n  A /* the old one */ as B, // why\n  C,\n} from './ws';\n")).toBe(false);
    expect(mayCast("import { 'a-b' as B } from './ws';\n")).toBe(true); // a string name: parsed
    // a list's keyword must start its line: a comment ending in 'import {' blanks no code after it
    expect(mayCast('function f() { // import {\n  return x as Legacy }\n')).toBe(true);
  });

  it('is true for every file of the fixtures and both example backends that casts to a type reference (it only saves parses)', () => {
    const texts: Array<[string, string]> = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(ts|tsx|mts|cts)$/.test(e.name) && (p.includes('__testfixtures__') || !p.includes('/codemods/')) && !p.includes('node_modules')) texts.push([p, readFileSync(p, 'utf8')]);
      }
    };
    for (const d of ['..', '../../examples/legacy-app', '../../test/relay-backend']) walk(fileURLToPath(new URL(d, import.meta.url)));
    let casting = 0;
    for (const [p, text] of texts) {
      const sf = parseBareTree(p, text);
      let casts = false;
      const visit = (n: ts.Node): void => {
        // `as const` is a type reference to `const` in TypeScript's tree, and no import's name
        if ((ts.isAsExpression(n) || ts.isTypeAssertionExpression(n)) && ts.isTypeReferenceNode(n.type) && n.type.typeName.getText(sf) !== 'const') casts = true;
        if (!casts) ts.forEachChild(n, visit);
      };
      visit(sf);
      if (!casts) continue;
      casting++;
      expect(mayCast(text), p).toBe(true);
    }
    expect(casting).toBeGreaterThanOrEqual(15); // the test checks something (17 files on 2026-12-02)
  });
});
