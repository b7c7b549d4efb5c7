/**
 * A phase commit reverted by hand (`git revert`), then that revert reverted (the phase's change is
 * back in the tree): status reads the phase done at the re-applying commit and checks the tree
 * against the phase commit's report note — the change the revert of the revert brings back is
 * that commit's. Before, it read "not verifiable" (the re-applying commit carries no phase trailers
 * and has no note of its own), though the tree held exactly what the phase wrote. Real git, the
 * runner's toy fixture.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { buildReview } from '../../scripts/review/report.js';
import { rollbackPhase, runPhase } from '../../scripts/runner/index.js';
import { git, headSha, phaseState, toyMigratedCopies, TWO_FILES } from './fixture-repo.js';

const repos: string[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

/** discover and toy-rewrite committed, made once (in process); each case gets a copy. */
const migrated = toyMigratedCopies(TWO_FILES, repos);


describe('a revert of a revert of a phase commit', () => {
  test('done at the re-applying commit, verified against the phase commit\'s note; a file taken back since reads partly undone', async () => {
    const { repo, toy } = await migrated();
    git(repo, 'revert', '--no-edit', toy);
    expect(await phaseState(repo, 'toy-rewrite')).toMatchObject({ state: 'pending' });
    git(repo, 'revert', '--no-edit', 'HEAD');
    const reapply = headSha(repo);
    const s = await phaseState(repo, 'toy-rewrite');
    expect(s).toMatchObject({ state: 'done', commit: reapply, evidence: { verdict: 'verified', undone: [], changed: [] } });
    expect(s.why).toBe(`re-applies ${toy.slice(0, 10)}: ${reapply.slice(0, 10)} reverts the commit that took the phase back`);
    expect((await runPhase(repo, 'toy-rewrite')).reason).toBe(`already committed in ${reapply.slice(0, 10)} (${git(repo, 'log', '-1', '--format=%s', reapply).trim()}): ${s.why}`);
    // review: the re-applying commit's diff, the phase commit's figures (it has none of its own)
    const review = (await buildReview(repo, 'toy-rewrite')).report;
    expect(review).toMatchObject({ commit: reapply, figures: { files: 2, edits: 5 }, totals: { files: 2 } });
    expect(review.warnings).toContain(`${reapply.slice(0, 10)} re-applies ${toy.slice(0, 10)} (it reverts the commit that took the phase back): its figures and lists are those of ${toy.slice(0, 10)}, the diff is ${reapply.slice(0, 10)}'s`);
    // the check is real: b taken back by hand reads partly undone
    writeFileSync(path.join(repo, 'src/b.ts'), TWO_FILES['src/b.ts']!);
    git(repo, 'commit', '-qam', 'back to the old b');
    expect(await phaseState(repo, 'toy-rewrite')).toMatchObject({ state: 'partly-undone', commit: reapply, evidence: { verdict: 'partly-undone', undone: ['src/b.ts'] } });
  });

  test('the same for a revert of the runner\'s rollback commit; without any note the phase commit\'s own diff is the evidence', async () => {
    const { repo, toy } = await migrated();
    expect((await rollbackPhase(repo, 'toy-rewrite')).ok).toBe(true);
    git(repo, 'revert', '--no-edit', 'HEAD');
    const reapply = headSha(repo);
    expect(await phaseState(repo, 'toy-rewrite')).toMatchObject({ state: 'done', commit: reapply, evidence: { verdict: 'verified' } });
    git(repo, 'update-ref', '-d', 'refs/notes/ssot-migrate'); // a clone that did not fetch the notes
    const s = await phaseState(repo, 'toy-rewrite');
    expect(s).toMatchObject({ state: 'done', commit: reapply, evidence: { verdict: 'verified', undone: [], changed: [] } });
    expect(s.why).toBe(`re-applies ${toy.slice(0, 10)}: ${reapply.slice(0, 10)} reverts the commit that took the phase back`);
    // the check is real there too: a file taken back reads partly undone
    writeFileSync(path.join(repo, 'src/a.ts'), TWO_FILES['src/a.ts']!);
    git(repo, 'commit', '-qam', 'back to the old a');
    expect(await phaseState(repo, 'toy-rewrite')).toMatchObject({ state: 'partly-undone', evidence: { undone: ['src/a.ts'] } });
  });

  test('reverted again (a revert of the re-applying commit): pending, like a single revert', async () => {
    const { repo, toy } = await migrated();
    git(repo, 'revert', '--no-edit', toy);
    git(repo, 'revert', '--no-edit', 'HEAD');
    git(repo, 'revert', '--no-edit', 'HEAD');
    expect(await phaseState(repo, 'toy-rewrite')).toMatchObject({ state: 'pending' });
    git(repo, 'revert', '--no-edit', 'HEAD');
    expect(await phaseState(repo, 'toy-rewrite')).toMatchObject({ state: 'done', commit: headSha(repo), evidence: { verdict: 'verified' } });
  });
});
