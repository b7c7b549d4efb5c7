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
import { parseSource } from '../engine/parse.js';
import { RepoSnapshot } from '../snapshot/snapshot.js';
import type { PhasePlan } from '../phase/types.js';
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
    expect(cases).toEqual(['held-global', 'held-namespace-assertion', 'unheld-casts']);
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
