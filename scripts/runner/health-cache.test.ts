/**
 * The health cache's key: what a test run's tools leave in node_modules is not an install, what
 * an install (or a hand-made link) changes is. The key moved when vitest's first run created
 * node_modules/.vite and .vite-temp (node_modules' own mtime was in it): the baseline measured
 * before that run was stored under a key never computed again.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { withDefaults } from '../../test/helpers/fixture-manifest.js';
import { initAndCommit, writeFiles } from '../../test/helpers/git-repo.js';
import { healthKey } from './health-cache.js';
import { baselineHealth } from './run-phase.js';

const cleanup: string[] = [];
afterAll(() => {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

function tmp(prefix: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanup.push(d);
  return d;
}

const manifest = withDefaults({ canonical: { module: 'src/canonical' } as never, verify: { typecheck: 'true', test: 'true' } });

/** A folder with an installed-looking node_modules: two packages, @types, .bin, npm's marker. */
function installed(): string {
  const repo = tmp('ssot-health-key-');
  const store = tmp('ssot-health-store-');
  for (const p of ['ws', 'zod', '@types/node', '@types/ws', 'extra']) mkdirSync(path.join(store, p), { recursive: true });
  writeFiles(repo, { 'node_modules/ws/package.json': '{}', 'node_modules/zod/package.json': '{}', 'node_modules/.bin/tsc': '', 'node_modules/.package-lock.json': '{}' });
  mkdirSync(path.join(repo, 'node_modules/@types'));
  symlinkSync(path.join(store, '@types/node'), path.join(repo, 'node_modules/@types/node'));
  return repo;
}

/** `mutate` on a fresh install, then whether the key moved (the clock is given a tick so mtimes can differ). */
async function moves(mutate: (repo: string) => void): Promise<boolean> {
  const repo = installed();
  const before = healthKey(repo, manifest);
  await new Promise((r) => setTimeout(r, 15));
  mutate(repo);
  return healthKey(repo, manifest) !== before;
}

describe('healthKey', () => {
  test("the cache folders a test run's tools create in node_modules are not an install", async () => {
    expect(
      await moves((repo) => {
        mkdirSync(path.join(repo, 'node_modules/.vite/vitest/da39a3ee'), { recursive: true });
        writeFileSync(path.join(repo, 'node_modules/.vite/vitest/da39a3ee/results.json'), '{}');
        mkdirSync(path.join(repo, 'node_modules/.vite-temp'));
        mkdirSync(path.join(repo, 'node_modules/.cache'));
      }),
    ).toBe(false);
  });

  test('an install moves it: a package added, removed, replaced, linked or re-linked by hand, @types linked, a lockfile marker rewritten', async () => {
    const store = tmp('ssot-health-other-');
    mkdirSync(path.join(store, 'pkg'));
    mkdirSync(path.join(store, 'pkg2'));
    expect(await moves((repo) => mkdirSync(path.join(repo, 'node_modules/left-pad')))).toBe(true);
    expect(await moves((repo) => rmSync(path.join(repo, 'node_modules/zod'), { recursive: true }))).toBe(true);
    expect(
      await moves((repo) => {
        // npm's reify: the new version's folder renamed over the old one
        mkdirSync(path.join(repo, 'node_modules/.zod-new'));
        rmSync(path.join(repo, 'node_modules/zod'), { recursive: true });
        mkdirSync(path.join(repo, 'node_modules/zod'));
        rmSync(path.join(repo, 'node_modules/.zod-new'), { recursive: true });
      }),
    ).toBe(true);
    expect(await moves((repo) => symlinkSync(path.join(store, 'pkg'), path.join(repo, 'node_modules/pkg')))).toBe(true);
    const relinked = installed();
    symlinkSync(path.join(store, 'pkg'), path.join(relinked, 'node_modules/pkg'));
    const k = healthKey(relinked, manifest);
    await new Promise((r) => setTimeout(r, 15));
    rmSync(path.join(relinked, 'node_modules/pkg'));
    symlinkSync(path.join(store, 'pkg2'), path.join(relinked, 'node_modules/pkg'));
    expect(healthKey(relinked, manifest)).not.toBe(k);
    expect(await moves((repo) => symlinkSync(path.join(store, 'pkg'), path.join(repo, 'node_modules/@types/pkg')))).toBe(true);
    expect(await moves((repo) => writeFileSync(path.join(repo, 'node_modules/.package-lock.json'), '{"lockfileVersion":3}'))).toBe(true);
    expect(await moves((repo) => writeFileSync(path.join(repo, 'node_modules/.modules.yaml'), 'layoutVersion: 5\n'))).toBe(true);
    expect(await moves((repo) => writeFileSync(path.join(repo, 'node_modules/.bin/vitest'), ''))).toBe(true);
  });

  test('the baseline measured before a first vitest run is found after it: the commands run once', async () => {
    const repo = installed();
    const log = path.join(tmp('ssot-health-log-'), 'runs');
    writeFiles(repo, { '.gitignore': 'node_modules\n', 'src/a.ts': 'export const a = 1;\n' });
    initAndCommit(repo);
    // the test command does what vitest's first run does to node_modules
    const m = withDefaults({
      canonical: { module: 'src/canonical' } as never,
      verify: { typecheck: `echo typecheck >> ${log}`, test: `echo test >> ${log} && mkdir -p node_modules/.vite/vitest node_modules/.vite-temp` },
    });
    const first = await baselineHealth(repo, m, true);
    const again = await baselineHealth(repo, m, true);
    expect(again.test.exitCode).toBe(first.test.exitCode);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['typecheck', 'test']);
  });
});
