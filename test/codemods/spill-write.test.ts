/**
 * A run large enough for the worker pool keeps each changed file's original and diff in a spill
 * file (codemods/engine/spill.ts) and rebuilds its new text on access. This writes a generated
 * monorepo for real through `runTransform` at that size and checks every file against a run that
 * held its texts in memory.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RepoSnapshot, runTransform } from '../../codemods/index.js';
import { runSyntaxPhase, WORKER_MIN_FILES } from '../../codemods/engine/run.js';
import { isSpilled } from '../../codemods/engine/spill.js';
import { genMonorepo } from '../../scripts/gen-monorepo.js';
import { initAndCommit } from '../helpers/git-repo.js';

const SLOW = 300_000;

describe('rewrite-imports at the size that spills (real writes)', () => {
  let repo: string;
  beforeAll(async () => {
    repo = mkdtempSync(join(tmpdir(), 'ssot-spill-write-'));
    await genMonorepo({ dir: repo, files: WORKER_MIN_FILES + 200, affected: 1, seed: 7 });
    initAndCommit(repo);
  }, SLOW);
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('writes every changed file as the in-memory run computed it, and reports the same diff', async () => {
    const snapshot = await RepoSnapshot.open(repo);
    const held = await runSyntaxPhase({ repoDir: repo, transformName: 'rewrite-imports', ctx: snapshot.context, files: snapshot.candidates, workers: 0, spill: false });
    const expected = held.files.filter((f) => f.after !== undefined);
    expect(held.parsed).toBeGreaterThanOrEqual(WORKER_MIN_FILES);
    expect(expected.length).toBeGreaterThan(3000);

    const report = await runTransform('rewrite-imports', repo, { options: { typeGuard: false } });
    // the diff written as its spilled bytes, before `diff` is ever joined: the same bytes
    const out = join(repo, '..', `${repo.split('/').pop()}.diff`);
    const fd = openSync(out, 'w');
    const written = report.writeDiff(fd);
    closeSync(fd);
    const joined = Buffer.from(expected.map((f) => f.diff).join(''), 'utf8');
    expect(written).toBe(joined.length);
    expect(readFileSync(out).equals(joined)).toBe(true);
    rmSync(out);
    expect(report.changes.length).toBe(expected.length);
    expect(report.changes.every((c) => isSpilled(c))).toBe(true);
    expect(report.files).toEqual(held.files.map((f) => f.report));
    for (const f of expected) expect(readFileSync(join(repo, f.report.file), 'utf8')).toBe(f.after);
    // the originals come from the spill file: the tree holds the new texts now
    expect(report.changes.map((c) => c.before)).toEqual(expected.map((f) => f.before));
    expect(report.diff).toBe(expected.map((f) => f.diff).join(''));
    // nothing else in the tree moved
    const touched = execFileSync('git', ['diff', '--name-only'], { cwd: repo, encoding: 'utf8' }).trim().split('\n').sort();
    expect(touched).toEqual(expected.map((f) => f.report.file).sort());
  }, SLOW);
});
