/**
 * One snapshot per command: `run <phase>` parses the manifest once and scans the repo for the
 * figures once per side — a full scan before, and after only the files the phase changed.
 */
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { snapshotStats } from '../../codemods/index.js';
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
});
