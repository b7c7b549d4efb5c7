/**
 * What people do to history between phases with plain git — `git revert` a phase commit by hand,
 * revert that revert, revert the runner's own rollback — and what `status`, the ledger, `review`
 * and the next `run` then say. Real repositories (the runner's toy fixture), real git.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { buildReview } from '../../scripts/review/report.js';
import { committedPhases, repoStatus, rollbackPhase, runPhase } from '../../scripts/runner/index.js';
import { fromTemplate, git, makeRepo, TWO_FILES } from './fixture-repo.js';

const repos: string[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

const FILES = TWO_FILES;

/** The fixture with discover and toy-rewrite committed, made once; each test gets its own copy (`cp -a`: history, notes, cached health). */
let phaseSha = '';
const migratedCopy = fromTemplate(async () => {
  const repo = makeRepo(FILES);
  expect((await runPhase(repo, 'discover')).status).toBe('committed');
  const r = await runPhase(repo, 'toy-rewrite');
  expect(r.status).toBe('committed');
  phaseSha = r.commit!;
  return repo;
}, repos);
async function migrated(): Promise<{ repo: string; phaseSha: string }> {
  const repo = await migratedCopy();
  return { repo, phaseSha };
}

const stateOf = async (repo: string, phase: string) => (await repoStatus(repo)).phases.find((p) => p.phase === phase);
const revertByHand = (repo: string, sha: string) => git(repo, 'revert', '--no-edit', sha);
const headSha = (repo: string) => git(repo, 'rev-parse', 'HEAD').trim();

describe('history changed by hand between phases', () => {
  test('`git revert` of a phase commit: status says pending, review names the revert, and the next run runs the phase again', async () => {
    const { repo, phaseSha } = await migrated();
    revertByHand(repo, phaseSha);
    const revert = headSha(repo);
    // the tree has the legacy imports back: the ledger must not call the phase done
    expect((await repoStatus(repo)).legacyImportSites).toBe(2);
    expect([...(await committedPhases(repo)).keys()]).toEqual(['discover']);
    expect(await stateOf(repo, 'toy-rewrite')).toMatchObject({ state: 'pending' });
    expect((await stateOf(repo, 'toy-rewrite'))?.commit).toBeUndefined();
    const review = await buildReview(repo, 'toy-rewrite');
    expect(review.report.rolledBackBy).toBe(revert);
    expect(review.report.warnings.join("\n")).toContain(`rolled back by ${revert.slice(0, 10)}`);
    const again = await runPhase(repo, 'toy-rewrite');
    expect(again.status).toBe('committed');
    expect((await repoStatus(repo)).legacyImportSites).toBe(0);
    expect(await stateOf(repo, 'toy-rewrite')).toMatchObject({ state: 'done', commit: again.commit });
  });

  test('`git revert` of that revert (the phase re-applied by hand): done again, and `rollback` undoes the re-applied change', async () => {
    const { repo, phaseSha } = await migrated();
    revertByHand(repo, phaseSha);
    revertByHand(repo, headSha(repo));
    const reapply = headSha(repo);
    expect((await repoStatus(repo)).legacyImportSites).toBe(0);
    expect(await stateOf(repo, 'toy-rewrite')).toMatchObject({ state: 'done', commit: reapply });
    expect((await runPhase(repo, 'toy-rewrite')).status).toBe('nothing-to-do');
    expect((await buildReview(repo, "toy-rewrite")).report.rolledBackBy).toBeUndefined();
    const rb = await rollbackPhase(repo, 'toy-rewrite');
    expect(rb.ok).toBe(true);
    expect((await repoStatus(repo)).legacyImportSites).toBe(2);
    expect(await stateOf(repo, 'toy-rewrite')).toMatchObject({ state: 'pending' });
  });

  test('`git revert` of the runner\'s rollback commit: the phase is done again (the tree has its change)', async () => {
    const { repo } = await migrated();
    expect((await rollbackPhase(repo, 'toy-rewrite')).ok).toBe(true);
    expect(await stateOf(repo, 'toy-rewrite')).toMatchObject({ state: 'pending' });
    revertByHand(repo, headSha(repo));
    expect((await repoStatus(repo)).legacyImportSites).toBe(0);
    expect(await stateOf(repo, 'toy-rewrite')).toMatchObject({ state: 'done', commit: headSha(repo) });
    expect((await runPhase(repo, 'toy-rewrite')).status).toBe('nothing-to-do');
  });

  test("a hand revert of an earlier phase's commit takes back that phase only (the later one's change is still in the tree)", async () => {
    const { repo } = await migrated();
    const discover = git(repo, 'log', '--format=%H', '--grep', '^SSOT-Phase: discover').trim();
    // reverting discover's commit alone leaves toy-rewrite's change in the tree: toy-rewrite stays done
    revertByHand(repo, discover);
    const s = await repoStatus(repo);
    expect(s.phases.find((p) => p.phase === 'discover')).toMatchObject({ state: 'pending' });
    expect(s.phases.find((p) => p.phase === 'toy-rewrite')).toMatchObject({ state: 'done' });
  });

  test('an amended or cherry-picked phase commit has no note of its own: the phase stays done (also after `cherry-pick -x`), review shows the note of the commit it was made from and names it', async () => {
    const { repo, phaseSha } = await migrated();
    writeFileSync(path.join(repo, 'src/a.ts'), 'import { NEW } from "./canonical";\nexport const a = NEW; // amended\n');
    git(repo, 'commit', '-qa', '--amend', '--no-edit');
    const amended = (await buildReview(repo, 'toy-rewrite')).report.warnings.join('\n');
    expect(amended).toContain(`no note under refs/notes/ssot-migrate on ${headSha(repo).slice(0, 10)}: it was rewritten by amend, rebase, squash or cherry-pick`);
    // the note of the commit it was amended from (same message), named: it describes that commit
    expect(amended).toContain(`showing the note of ${phaseSha.slice(0, 10)}`);
    expect(await stateOf(repo, 'toy-rewrite')).toMatchObject({ state: 'done', commit: headSha(repo) });
    git(repo, "checkout", "-q", "-b", "other", `${phaseSha}~2`); // before discover
    git(repo, 'cherry-pick', '-x', phaseSha);
    // -x puts git's "(cherry picked from …)" line into the trailer block: the trailers still count
    expect(git(repo, 'log', '-1', '--format=%B')).toContain(`(cherry picked from commit ${phaseSha})`);
    expect(await stateOf(repo, 'toy-rewrite')).toMatchObject({ state: 'done', commit: headSha(repo) });
    expect(await stateOf(repo, 'discover')).toMatchObject({ state: 'pending' });
    expect((await runPhase(repo, 'toy-rewrite')).status).toBe('nothing-to-do');
    const picked = (await buildReview(repo, 'toy-rewrite')).report.warnings.join('\n');
    expect(picked).toContain(`cherry-picked from ${phaseSha.slice(0, 10)}`);
  });
});
