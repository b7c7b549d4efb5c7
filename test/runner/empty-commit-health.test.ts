/**
 * The verified health is kept per tree: after a phase that found nothing to change (an empty
 * commit, its parent's tree), the next phase's baseline comes from the cache — its verify commands
 * run once (the verification), not twice; a rollback's revert back to the tree the phase started
 * from runs none. The commands count their runs in a log outside the repo.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { rollbackPhase, runPhase } from '../../scripts/runner/index.js';
import { git, makeRepo } from './fixture-repo.js';

const cleanup: string[] = [];
afterAll(() => {
  for (const r of cleanup) rmSync(r, { recursive: true, force: true });
});

/** A repo whose verify commands count their runs in a log outside it: discover, a phase that finds nothing, a toy rewrite. */
function countingRepo(files: Record<string, string> = {}): { repo: string; runs: () => number } {
  const log = path.join(os.tmpdir(), `ssot-verify-runs-${process.pid}-${Date.now()}-${cleanup.length}`);
  cleanup.push(log);
  const repo = makeRepo(
    { ...files, 'src/a.ts': "import { OLD } from './old';\nexport const a = OLD;\n", 'phases/nothing.mjs': 'export default function nothing() { return []; }\n' },
    {
      phases: ['discover', 'nothing', 'toy-rewrite'],
      customPhases: [
        { name: 'nothing', kind: 'module', path: 'phases/nothing.mjs', after: 'discover', description: 'finds nothing' },
        { name: 'toy-rewrite', kind: 'module', path: 'phases/toy-rewrite.mjs', after: 'nothing', description: 'OLD → NEW' },
      ],
      verify: { typecheck: `echo typecheck >> ${log} && node typecheck.mjs`, test: `echo test >> ${log} && node test.mjs` },
    },
  );
  cleanup.push(repo);
  return { repo, runs: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).length : 0) };
}

describe('an empty phase commit', () => {
  test('passes its verified health on: the next phase does not re-measure the baseline', async () => {
    const { repo, runs } = countingRepo();
    expect((await runPhase(repo, 'discover')).status).toBe('committed');
    expect(runs()).toBe(4); // baseline + verification, two commands each
    const empty = await runPhase(repo, 'nothing');
    expect(empty.status, empty.reason).toBe('committed');
    expect(git(repo, 'show', '--name-only', '--format=', 'HEAD').trim()).toBe('');
    expect(runs()).toBe(4); // nothing to verify
    const next = await runPhase(repo, 'toy-rewrite');
    expect(next.status, next.reason).toBe('committed');
    expect(runs()).toBe(6); // the verification only: the baseline came from the empty commit's inherited health
  }, 120_000);
});

describe('the cached health of a commit', () => {
  test('is not used once an install changed node_modules: the baseline is measured again', async () => {
    const { repo, runs } = countingRepo({ '.gitignore': 'node_modules/\n' });
    expect((await runPhase(repo, 'discover')).status).toBe('committed');
    expect((await runPhase(repo, 'nothing')).status).toBe('committed');
    expect(runs()).toBe(4);
    // Types linked in by hand (what an install does to the folder), ignored by git.
    mkdirSync(path.join(repo, 'node_modules', '@types', 'node'), { recursive: true });
    const next = await runPhase(repo, 'toy-rewrite');
    expect(next.status, next.reason).toBe('committed');
    expect(runs()).toBe(8); // the baseline again, then the verification
  }, 120_000);

  test('cut short (a process killed while writing it) is measured again, not a crash of every later run', async () => {
    const { repo, runs } = countingRepo();
    expect((await runPhase(repo, 'discover')).status).toBe('committed');
    expect((await runPhase(repo, 'nothing')).status).toBe('committed');
    expect(runs()).toBe(4);
    const dir = path.join(git(repo, 'rev-parse', '--absolute-git-dir').trim(), 'ssot-health');
    const cached = readdirSync(dir).filter((n) => n.startsWith(`tree-${git(repo, 'rev-parse', 'HEAD^{tree}').trim()}-`));
    expect(cached).toHaveLength(1);
    const file = path.join(dir, cached[0]!);
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 40)); // what a kill in the middle of a plain write leaves
    const next = await runPhase(repo, 'toy-rewrite');
    expect(next.status, next.reason).toBe('committed');
    expect(runs()).toBe(8); // the baseline measured again, then the verification
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]); // written through a temp file, renamed
  }, 120_000);
});

describe('a rollback', () => {
  /** discover, nothing, toy-rewrite committed: 6 verify runs (toy-rewrite's baseline is the empty commit's tree, cached). */
  async function migrated(files: Record<string, string> = {}) {
    const counting = countingRepo(files);
    for (const phase of ['discover', 'nothing', 'toy-rewrite']) expect((await runPhase(counting.repo, phase)).status).toBe('committed');
    expect(counting.runs()).toBe(6);
    return counting;
  }

  test('to a tree verified before (the one the phase started from) runs no verify command, and says the figures it compared', async () => {
    const { repo, runs } = await migrated();
    const prePhaseTree = git(repo, 'rev-parse', 'HEAD~1^{tree}').trim();
    const rb = await rollbackPhase(repo, 'toy-rewrite');
    expect(rb.ok, rb.reason).toBe(true);
    expect(git(repo, 'rev-parse', 'HEAD^{tree}').trim()).toBe(prePhaseTree);
    expect(runs()).toBe(6); // the baseline is toy-rewrite's verified tree, the revert's is discover's: both cached
    expect(rb.steps[0]?.verification).toMatchObject({ ok: true, summary: 'typecheck 0->0 errors; tests pass -> pass' });
    expect(git(repo, 'log', '-1', '--format=%B')).toContain('SSOT-Rollback: toy-rewrite');
    // and the phase runs again from the revert's tree, its baseline cached too
    expect((await runPhase(repo, 'toy-rewrite')).status).toBe('committed');
    expect(runs()).toBe(8);
  }, 120_000);

  test('to a tree never verified (an app commit on top of the phase) verifies it', async () => {
    const { repo, runs } = await migrated();
    writeFileSync(path.join(repo, 'src/c.ts'), 'export const c = 2;\n');
    git(repo, 'add', 'src/c.ts');
    git(repo, 'commit', '-qm', 'app: c');
    const rb = await rollbackPhase(repo, 'toy-rewrite');
    expect(rb.ok, rb.reason).toBe(true);
    expect(runs()).toBe(10); // the app commit's tree (baseline) and the revert's, two commands each
  }, 120_000);

  test('after an install changed node_modules verifies again, though the tree was verified', async () => {
    const { repo, runs } = await migrated({ '.gitignore': 'node_modules/\n' });
    mkdirSync(path.join(repo, 'node_modules', '@types', 'node'), { recursive: true });
    const rb = await rollbackPhase(repo, 'toy-rewrite');
    expect(rb.ok, rb.reason).toBe(true);
    expect(runs()).toBe(10); // baseline and revert measured under the new install
  }, 120_000);
});
