/**
 * `run` when a killed phase left a journal: on a terminal it asks (n: nothing run, the tree left
 * as the kill left it; y: restored byte-for-byte, then the phase runs); not on a terminal it
 * refuses, naming `recover` and --yes; --yes recovers without asking. The journal comes from a
 * real SIGKILL of the CLI at the apply step; the terminal is a real pty (script(1)).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readJournal, runPhase } from '../../scripts/runner/index.js';
import { BUILT_CLI, cli, cliSync } from './cli-process.js';
import { git, makeRepo, treeDigest, TWO_FILES_QUOTED } from './fixture-repo.js';


let root = '';
let killed = '';
let before = '';
let n = 0;
const copy = () => {
  const dir = path.join(root, `case-${n++}`);
  execFileSync('cp', ['-a', killed, dir]);
  return dir;
};

/** The CLI killed with SIGKILL once it paused at `apply` (edits on disk, journal written). */
async function killAtApply(repo: string): Promise<void> {
  await cli(['run', 'toy-rewrite', '--repo', repo], { pauseAt: 'apply', signal: 'SIGKILL' });
}

/** The CLI on a pseudo-terminal (script(1)), `answer` typed on its stdin. */
function onTerminal(repo: string, answer: string) {
  const cmd = [process.execPath, BUILT_CLI, 'run', 'toy-rewrite', '--repo', repo].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { input: answer, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ssot-run-recovery-'));
  killed = path.join(root, 'killed');
  execFileSync('mv', [makeRepo(TWO_FILES_QUOTED), killed]);
  const d = await runPhase(killed, 'discover');
  expect(d.status, d.reason).toBe('committed');
  before = treeDigest(killed);
  await killAtApply(killed);
  expect(readJournal(killed)?.phase).toBe('toy-rewrite');
  expect(treeDigest(killed)).not.toBe(before); // the kill left the phase's edits on disk
}, 180_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('run with an interrupted phase\'s journal', () => {
  test('not a terminal: refused, naming the recover command and --yes; nothing touched', () => {
    const repo = copy();
    const left = treeDigest(repo);
    const r = cliSync(['run', 'toy-rewrite', '--repo', repo]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('an interrupted phase toy-rewrite');
    expect(r.err).toContain(`not a terminal, so not asking: run \`ssot-migrate recover --repo ${repo}\` first, or run again with --yes to recover and go on`);
    expect(treeDigest(repo)).toBe(left);
    expect(readJournal(repo)).toBeDefined();
  }, 120_000);

  test('on a terminal, answering n: nothing recovered, nothing run', () => {
    const repo = copy();
    const left = treeDigest(repo);
    const r = onTerminal(repo, 'n\n');
    expect(r.out).toContain('Recover now (restore the tree from the journal), then run? [y/N]');
    expect(r.out).toContain('not recovered; nothing was run');
    expect(r.code).toBe(1);
    expect(treeDigest(repo)).toBe(left);
    expect(readJournal(repo)).toBeDefined();
  }, 120_000);

  test('on a terminal, answering y: the tree is restored, then the phase runs and commits', () => {
    const repo = copy();
    const r = onTerminal(repo, 'y\n');
    expect(r.out).toContain('recovered: the phase toy-rewrite (interrupted at step apply)');
    expect(r.out).toMatch(/toy-rewrite: committed/);
    expect(r.code).toBe(0);
    expect(readJournal(repo)).toBeUndefined();
    expect(git(repo, 'log', '-1', '--format=%B')).toMatch(/SSOT-Phase: toy-rewrite/);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  }, 120_000);

  test('--yes recovers without asking (byte-identical to before the killed run), then runs', () => {
    const repo = copy();
    const r = cliSync(['run', 'toy-rewrite', '--repo', repo, '--yes', '--dry-run']);
    expect(r.err).toContain('recovered: the phase toy-rewrite (interrupted at step apply)');
    expect(r.code, r.err).toBe(0);
    expect(readJournal(repo)).toBeUndefined();
    expect(treeDigest(repo)).toBe(before); // a dry run writes nothing: what is left is the recovery
  }, 120_000);
});
