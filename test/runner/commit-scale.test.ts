/**
 * The commit path at the scale of a 20,000-file repository, without one: a custom phase (the same
 * contract users' phases use) whose plan reports 20,000 files needing review — what a 20,000-file
 * repo's rewrite gives — and writes 2,000 of them, run through the real runner (plan, baseline,
 * apply, verify, commit) on a real git repo. The commit message stays a few KB (it grew with the
 * repo and hit E2BIG before); the full report is a git note that `review` reads in full; rollback,
 * status and a clone without the notes still work.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { MESSAGE_ITEMS, parseCommitMessage, phaseCommitMessage, REPORT_NOTES_REF } from '../../scripts/git/index.js';
import { buildReview, formatReviewText } from '../../scripts/review/index.js';
import { committedPhases, repoStatus, rollbackPhase, runPhase } from '../../scripts/runner/index.js';
import { git, makeRepo, treeDigest } from './fixture-repo.js';

const REPORTED = 20_000;
const WRITTEN = 2_000;
const repos: string[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

const WIDE = `export default function wide({ options }) {
  const writes = [];
  for (let i = 0; i < ${WRITTEN}; i++) writes.push({ path: 'src/gen' + i + '.ts', content: 'export const v' + i + ' = ' + i + ';\\n' });
  const needsReview = [];
  for (let i = 0; i < ${REPORTED}; i++) needsReview.push({ file: 'packages/pkg' + (i % 200) + '/src/module' + i + '.ts', line: 1 + (i % 97), message: '[needs-review] legacy manager passed to an untyped callback; check the context it gets (' + i + ')' });
  const problems = [];
  for (let i = 0; i < 300; i++) problems.push({ file: 'packages/broken/f' + i + '.ts', line: 2, message: 'does not parse: Expression expected.' });
  return { writes, edits: ${WRITTEN}, summary: 'touched ${WRITTEN} file(s), ${REPORTED} to review', needsReview, problems };
}
`;

describe('a phase commit at 20,000 files', () => {
  test('the message stays bounded, the note holds every item, review shows them all, rollback and a clone without notes work', async () => {
    const repo = makeRepo({ 'phases/wide.mjs': WIDE }, { phases: ['discover', 'wide'], customPhases: [{ name: 'wide', kind: 'module', path: 'phases/wide.mjs', after: 'discover', description: 'a wide plan' }] });
    repos.push(repo);
    expect((await runPhase(repo, 'discover')).status).toBe('committed');

    const o = await runPhase(repo, 'wide');
    expect(o.status, o.reason).toBe('committed');
    expect(o.files).toBe(WRITTEN);
    expect(git(repo, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n')).toHaveLength(WRITTEN);

    const message = git(repo, 'log', '-1', '--format=%B');
    // Unbounded, the two lists alone would be ~2 MB (over 15x the 128 KiB argv limit).
    expect(Buffer.byteLength(message)).toBeLessThan(16 * 1024);
    expect(message).toContain(`Needs review (${REPORTED}, first ${MESSAGE_ITEMS}):`);
    expect(message).toContain(`… ${REPORTED - MESSAGE_ITEMS} more in the full report`);
    expect(message).toContain('Left untouched (300, first 50):');
    expect(message).toContain(`SSOT-Needs-Review: ${REPORTED}`);
    expect(message).toContain(`SSOT-Report: ${REPORT_NOTES_REF}`);
    const parsed = parseCommitMessage(message);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.complete).toBe(false);
    expect(parsed.figures.needsReview).toBe(REPORTED);

    const note = execFileSync('git', ['notes', `--ref=${REPORT_NOTES_REF}`, 'show', 'HEAD'], { cwd: repo, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(Buffer.byteLength(note)).toBeGreaterThan(1024 * 1024);
    expect(note).toContain(`Files (${WRITTEN}):\n- src/gen0.ts\n`);

    const { report } = await buildReview(repo, 'wide');
    expect(report.warnings).toEqual([]);
    expect(report.attention.needsReview).toHaveLength(REPORTED);
    expect(report.attention.needsReview.at(-1)).toEqual({ file: `packages/pkg${(REPORTED - 1) % 200}/src/module${REPORTED - 1}.ts`, line: 1 + ((REPORTED - 1) % 97), message: `[needs-review] legacy manager passed to an untyped callback; check the context it gets (${REPORTED - 1})` });
    expect(new Set(report.attention.needsReview.map((i) => i.file)).size).toBe(REPORTED);
    expect(report.attention.leftUntouched).toHaveLength(300);
    expect(formatReviewText(report, { color: false })).toContain(`Needs review (${REPORTED}):`);

    // A clone that did not fetch the notes: review says where the report is and shows the message's lists.
    const clone = mkdtempSync(path.join(os.tmpdir(), 'ssot-clone-'));
    repos.push(clone);
    execFileSync('git', ['clone', '-q', repo, clone]);
    const cloned = await buildReview(clone, 'wide');
    expect(cloned.report.attention.needsReview).toHaveLength(MESSAGE_ITEMS);
    expect(cloned.report.warnings.join('\n')).toMatch(/full report missing: no note under refs\/notes\/ssot-migrate .*git fetch <remote> refs\/notes\/ssot-migrate/);
    // ... and with the notes fetched, in full
    execFileSync('git', ['fetch', '-q', 'origin', `${REPORT_NOTES_REF}:${REPORT_NOTES_REF}`], { cwd: clone });
    expect((await buildReview(clone, 'wide')).report.attention.needsReview).toHaveLength(REPORTED);

    // Rollback: the revert commit carries no report, the ledger and status forget the phase, the
    // phase commit keeps its note (review of it still shows every item).
    const phaseSha = git(repo, 'rev-parse', 'HEAD').trim();
    const rb = await rollbackPhase(repo, 'wide');
    expect(rb.ok, rb.reason).toBe(true);
    expect(() => execFileSync('git', ['notes', `--ref=${REPORT_NOTES_REF}`, 'show', 'HEAD'], { cwd: repo, stdio: 'pipe' })).toThrow();
    expect(git(repo, 'log', '-1', '--format=%B')).not.toContain('SSOT-Report');
    expect([...(await committedPhases(repo)).keys()]).toEqual(['discover']);
    expect((await repoStatus(repo)).phases.find((p) => p.phase === 'wide')?.state).toBe('pending');
    const after = await buildReview(repo, phaseSha);
    expect(after.report.attention.needsReview).toHaveLength(REPORTED);
  }, 300_000);

  test('message items are one line each and cut; the message is bounded by the item limit, not the plan', () => {
    const item = (i: number) => ({ file: `src/f${i}.ts`, line: i, message: `multi\nline ${'x'.repeat(1000)}` });
    const plan = (n: number) => ({ phase: 'p', summary: 's', edits: n, needsReview: Array.from({ length: n }, (_, i) => item(i)), problems: Array.from({ length: n }, (_, i) => item(i)) });
    const small = phaseCommitMessage(plan(60), { files: 1, before: 0, after: 1 }, 'ok', { report: true });
    const big = phaseCommitMessage(plan(100_000), { files: 1, before: 0, after: 1 }, 'ok', { report: true });
    expect(Buffer.byteLength(big)).toBeLessThan(32 * 1024);
    expect(Buffer.byteLength(big) - Buffer.byteLength(small)).toBeLessThan(64);
    expect(big.split('\n').filter((l) => l.startsWith('- src/'))).toHaveLength(2 * MESSAGE_ITEMS);
    expect(parseCommitMessage(big).warnings).toEqual([]);
    // below the limit the lists are whole and no "first k" is said
    const whole = phaseCommitMessage(plan(3), { files: 1, before: 0, after: 1 }, 'ok');
    expect(whole).toContain('Needs review (3):');
    expect(parseCommitMessage(whole).complete).toBe(true);
    expect(whole).not.toContain('SSOT-Report');
  });

  test('when the report note cannot be written, the phase fails at commit naming the git command, HEAD and tree as before', async () => {
    const repo = makeRepo({ 'src/use.ts': 'import { OLD } from "./old";\nexport const x = OLD;\n' });
    repos.push(repo);
    expect((await runPhase(repo, 'discover')).status).toBe('committed');
    const base = git(repo, 'rev-parse', 'HEAD').trim();
    const digest = treeDigest(repo);
    // git's own lock on the notes ref: `git notes add` refuses while it exists
    const lock = path.join(repo, '.git', 'refs', 'notes', 'ssot-migrate.lock');
    mkdirSync(path.dirname(lock), { recursive: true });
    writeFileSync(lock, '');
    const o = await runPhase(repo, 'toy-rewrite');
    expect(o.status).toBe('failed');
    expect(o.step).toBe('commit');
    expect(o.reason).toMatch(/`git notes --ref=refs\/notes\/ssot-migrate add -f -F - [0-9a-f]{40}` failed in .* \(exit \d+\): .*lock/);
    expect(git(repo, 'rev-parse', 'HEAD').trim()).toBe(base);
    expect(treeDigest(repo)).toBe(digest);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    rmSync(lock);
    expect((await runPhase(repo, 'toy-rewrite')).status).toBe('committed');
  }, 120_000);
});
