/**
 * One snapshot per command: `run <phase>` parses the manifest once and scans the repo for the
 * figures once per side — a full scan before, and after only the files the phase changed.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { legacyUse, RepoSnapshot, runTransform, snapshotStats } from '../../codemods/index.js';
import { manifestStats } from '../../manifest/index.js';
import { main } from '../../scripts/cli.js';
import { runPhase } from '../../scripts/runner/index.js';
import { git, makeRepo } from './fixture-repo.js';

const repos: string[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

const FILES = {
  'src/a.ts': 'import { OLD } from "./old";\nexport const a = OLD;\n',
  'src/b.ts': 'import { OLD } from "./old";\nexport const b = [OLD, OLD];\n',
  'src/c.ts': 'export const c = 1;\n',
  'src/d.ts': 'import { NEW } from "./canonical";\nexport const d = NEW;\n',
};

/** Counters' growth while `fn` runs. */
async function counted(fn: () => Promise<unknown>) {
  const m0 = manifestStats.parses;
  const s0 = { ...snapshotStats };
  await fn();
  return { manifestParses: manifestStats.parses - m0, fullScans: snapshotStats.fullScans - s0.fullScans, rescannedFiles: snapshotStats.rescannedFiles - s0.rescannedFiles, contexts: snapshotStats.contexts - s0.contexts };
}

describe('one snapshot per phase run', () => {
  beforeEach(() => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => vi.restoreAllMocks());

  test('`run rewrite-imports` (CLI): one manifest parse, one full scan before, the two changed files re-scanned after', async () => {
    const repo = makeRepo(FILES, { phases: ['discover', 'rewrite-imports'], customPhases: [] });
    repos.push(repo);
    // discover's figures and its inventory come from the same single scan
    const d = await counted(async () => expect(await main(['run', 'discover', '--repo', repo])).toBe(0));
    expect(d).toMatchObject({ manifestParses: 1, fullScans: 1, rescannedFiles: 0, contexts: 1 });

    const r = await counted(async () => expect(await main(['run', 'rewrite-imports', '--repo', repo, '--no-type-guard'])).toBe(0));
    expect(r).toEqual({ manifestParses: 1, fullScans: 1, rescannedFiles: 2, contexts: 1 });
    const body = git(repo, 'log', '-1', '--format=%B');
    // the incremental "after" figures are the true ones: every site is now canonical
    expect(body).toContain('SSOT-Compliance: 33.3->100.0');
    expect(body).toContain('SSOT-Files: 2');
  }, 120_000);

  test('a phase that edits the manifest or creates modules gets a full scan after (the tree it resolves against changed)', async () => {
    const repo = makeRepo({ ...FILES }, {});
    repos.push(repo);
    await runPhase(repo, 'discover');
    // toy-rewrite changes two existing files only: incremental
    const r = await counted(async () => expect((await runPhase(repo, 'toy-rewrite')).status).toBe('committed'));
    expect(r).toMatchObject({ manifestParses: 1, fullScans: 1, rescannedFiles: 2 });
  }, 120_000);

  test('the passes over every file read each file once: legacy use (imports, markers, comments), discover (moves, decisions)', async () => {
    const repo = makeRepo(FILES, { phases: ['discover', 'rewrite-imports'], customPhases: [] });
    repos.push(repo);
    const snapshot = await RepoSnapshot.open(repo);
    const reads = vi.spyOn(snapshot, 'read');
    const readsPerFile = (): Map<string, number> => {
      const n = new Map<string, number>();
      for (const [f] of reads.mock.calls) n.set(f, (n.get(f) ?? 0) + 1);
      reads.mockClear();
      return n;
    };
    const use = await legacyUse(snapshot);
    expect(use.imports.map((i) => i.file).sort()).toEqual(['src/a.ts', 'src/b.ts']);
    const legacyReads = readsPerFile();
    // the three passes read every user file: once each
    expect([...legacyReads.keys()]).toEqual(expect.arrayContaining(['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/d.ts']));
    expect(Math.max(...legacyReads.values())).toBe(1);

    const report = await runTransform('discover', repo, { dryRun: true, snapshot });
    expect(report.plan.summary).toContain('import site');
    const discoverReads = readsPerFile();
    expect([...discoverReads.keys()]).toEqual(expect.arrayContaining(['src/a.ts', 'src/c.ts']));
    expect(Math.max(...discoverReads.values())).toBe(1);
    reads.mockRestore();
    // the memo does not outlive its caller: a plain read sees the tree as it is now
    writeFileSync(path.join(repo, 'src/c.ts'), 'export const c = 2;\n');
    expect(snapshot.read('src/c.ts')).toBe('export const c = 2;\n');
    expect(snapshot.read('src/missing.ts')).toBeUndefined();
    expect(snapshot.read('src/c.ts/below')).toBeUndefined();
    expect(() => snapshot.read('src')).toThrow(/EISDIR/);
  }, 120_000);
});
