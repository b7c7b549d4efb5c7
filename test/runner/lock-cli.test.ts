/**
 * A second ssot-migrate process while one holds the repository, through the real CLI: whichever
 * of run, rollback and recover comes second is refused with the holder's pid and what it runs
 * (for `run --all`, the phase it is at), and the first then finishes; a lock left by a dead pid is
 * reported and taken over. The holder is held at a step by the SSOT_TEST_PAUSE_AT seam.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runPhase } from '../../scripts/runner/index.js';
import { startCli } from './cli-process.js';
import { git, makeRepo, ONE_SITE } from './fixture-repo.js';

const repos: string[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

const start = (repo: string, args: string[], pauseAt?: string) => startCli([...args, '--repo', repo], { pauseAt });
const cli = (repo: string, ...args: string[]) => start(repo, args).done;
const resume = (repo: string) => writeFileSync(path.join(git(repo, 'rev-parse', '--absolute-git-dir').trim(), 'ssot-migrate', 'resume'), '');
/** The CLI's refusal once the holder's journal is there (what runs, its pid, command and step): before the lock. */
const running = (what: string, pid: number) => `${what} is running on this repository (pid ${pid}, started `;
const holder = (pid: number, command: string) => new RegExp(`another ssot-migrate operation holds the lock on this repository \\(pid ${pid}, started \\d{4}-\\d\\d-\\d\\dT[^,]+, \`${command.replace(/[-]/g, '\\-')}\`\\)`);

/** In-process runs share the runner's module state (the active operation, the git observers): one at a time. */
let inProcess: Promise<unknown> = Promise.resolve();
function serially<T>(f: () => Promise<T>): Promise<T> {
  const next = inProcess.then(f, f);
  inProcess = next.catch(() => {});
  return next;
}

function prepared(phases: string[]): Promise<string> {
  return serially(async () => {
    const repo = makeRepo(ONE_SITE);
    repos.push(repo);
    for (const p of phases) expect((await runPhase(repo, p)).status).toBe('committed');
    return repo;
  });
}

// The cases run side by side (each waits mostly on its CLI processes); their repos are their own.
describe.concurrent('a second ssot-migrate process is refused naming the holder', () => {
  test('while a rollback runs: run and recover are refused with its pid and phase; the rollback then finishes', async () => {
    const repo = await prepared(['discover', 'toy-rewrite']);
    const rb = start(repo, ['rollback', 'toy-rewrite'], 'baseline');
    await rb.paused;
    const run = await cli(repo, 'run', 'toy-rewrite');
    expect(run.code).toBe(1);
    expect(run.err).toContain(running('a rollback of phase toy-rewrite', rb.pid));
    expect(run.err).toContain('`ssot-migrate rollback toy-rewrite`), at step baseline; its edits are not committed yet — wait for it to finish');
    const rec = await cli(repo, 'recover');
    expect(rec.code).toBe(1);
    expect(rec.err).toMatch(/^recover refused: /m);
    expect(rec.err).toMatch(holder(rb.pid, 'ssot-migrate rollback toy-rewrite'));
    expect(rec.err).toContain('now at the rollback of toy-rewrite, step baseline');
    resume(repo);
    const done = await rb.done;
    expect(done.code, done.err).toBe(0);
    expect(git(repo, 'log', '-1', '--format=%B')).toContain('SSOT-Rollback: toy-rewrite');
  }, 240_000);

  test('while `run --all` runs: recover and rollback are refused with its pid and the phase it is at; the run then commits', async () => {
    const repo = await prepared([]);
    const all = start(repo, ['run', '--all'], 'verify');
    await all.paused;
    const rec = await cli(repo, 'recover');
    expect(rec.code).toBe(1);
    expect(rec.err).toMatch(holder(all.pid, 'ssot-migrate run --all'));
    expect(rec.err).toContain('now at phase discover, step verify');
    const rb = await cli(repo, 'rollback', 'discover');
    expect(rb.code).toBe(1);
    expect(rb.err).toContain(running('a phase discover', all.pid));
    expect(rb.err).toContain('`ssot-migrate run --all`), at step verify');
    resume(repo);
    const done = await all.done;
    expect(done.code, done.err).toBe(0);
    expect(git(repo, 'log', '--format=%(trailers:key=SSOT-Phase,valueonly)').split('\n').filter(Boolean)).toEqual(['toy-rewrite', 'discover']);
  }, 240_000);

  test('a lock left by a dead pid: the next run reports it as stale, takes it over and commits; no lock is left', async () => {
    const repo = await prepared(['discover']);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const pid = Number(dead.stdout);
    const lockFile = path.join(git(repo, 'rev-parse', '--absolute-git-dir').trim(), 'ssot-migrate.lock');
    writeFileSync(lockFile, `${JSON.stringify({ pid, startedAt: '2026-01-01T00:00:00.000Z', command: 'ssot-migrate run toy-rewrite', host: os.hostname() })}\n`);
    const run = await cli(repo, 'run', 'toy-rewrite');
    expect(run.code, run.err).toBe(0);
    expect(run.err).toContain(`found a stale lock (pid ${pid}, started 2026-01-01T00:00:00.000Z, \`ssot-migrate run toy-rewrite\`; that process is no longer running) and took it over`);
    expect(git(repo, 'log', '-1', '--format=%B')).toContain('SSOT-Phase: toy-rewrite');
    expect(existsSync(lockFile)).toBe(false);
  }, 240_000);
});
