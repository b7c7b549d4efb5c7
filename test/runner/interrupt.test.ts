/**
 * Interrupt safety on copies of examples/legacy-app, through the real CLI: SIGINT, SIGTERM and
 * SIGKILL at each runner step (the SSOT_TEST_PAUSE_AT hook stops the runner at a known point).
 * After each, every file's bytes and mode are as before (SIGINT/SIGTERM: by the runner itself;
 * SIGKILL: by `ssot-migrate recover`), and `status` agrees with HEAD's trailers. One prepared
 * repo (discover committed, its health cached) is copied with `cp -a` for every case.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeScratchRepo } from '../../scripts/demo.js';
import { committedPhases, repoStatus } from '../../scripts/runner/index.js';
import { git, treeDigest } from './fixture-repo.js';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/ssot-migrate.js');
const STEPS = ['preflight', 'plan', 'baseline', 'apply', 'verify', 'commit'] as const;
const digest = (repo: string) => treeDigest(repo, ['node_modules', 'reports']);

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** Runs the CLI; with `pauseAt`, sends `signal` once the runner says it paused there. */
function cli(args: string[], opts: { pauseAt?: string; signal?: NodeJS.Signals; env?: Record<string, string> } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...(opts.pauseAt ? { SSOT_TEST_PAUSE_AT: opts.pauseAt } : {}), ...opts.env } });
    let out = '';
    let err = '';
    let sent = false;
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
      if (!sent && opts.pauseAt && opts.signal && err.includes(`ssot-test: paused at ${opts.pauseAt}`)) {
        sent = true;
        child.kill(opts.signal);
      }
    });
    child.on('close', (code, signal) => resolve({ code, signal, out, err }));
  });
}

const work: string[] = [];
let prepared = '';
let root = '';

function copy(): string {
  const dir = path.join(root, `case-${work.length}`);
  execFileSync('cp', ['-a', prepared, dir]);
  work.push(dir);
  return dir;
}

/** What `status` says is done must be what HEAD's trailers say (in-process: the suite stays fast). */
async function statusAgreesWithHead(repo: string): Promise<void> {
  const done = (await repoStatus(repo)).phases.filter((p) => p.state === 'done').map((p) => p.phase);
  const trailers = git(repo, 'log', '--format=%(trailers:key=SSOT-Phase,valueonly)').split('\n').map((l) => l.trim()).filter(Boolean).reverse();
  expect(done).toEqual(trailers);
  expect([...(await committedPhases(repo)).keys()]).toEqual(trailers);
}

// The signal groups run side by side: each case waits mostly on its CLI process.
describe.concurrent('interrupts at every runner step leave the tree as it was', () => {
  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'ssot-interrupt-'));
    prepared = await makeScratchRepo(path.join(root, 'prepared'));
    const file = path.join(prepared, 'ssot.config.json');
    const m = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    m.phases = ['discover', 'rewrite-imports'];
    writeFileSync(file, `${JSON.stringify(m, null, 2)}\n`);
    git(prepared, 'commit', '-qam', 'manifest: a pure module move');
    const d = await cli(['run', 'discover', '--repo', prepared]);
    expect(d.code, d.err).toBe(0);
  }, 300_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    test(`${signal} at each step: the runner restores the tree itself and exits ${signal === 'SIGINT' ? 130 : 143}`, async () => {
      for (const step of STEPS) {
        const repo = copy();
        const before = digest(repo);
        const head = git(repo, 'rev-parse', 'HEAD');
        const r = await cli(['run', 'rewrite-imports', '--repo', repo], { pauseAt: step, signal });
        expect(r.code, `${step}: ${r.err}`).toBe(signal === 'SIGINT' ? 130 : 143);
        expect(r.err).toContain(`interrupted by ${signal} at step ${step}`);
        if (['apply', 'verify', 'commit'].includes(step)) expect(r.err, step).toMatch(/restored \d+ file\(s\) byte-for-byte/);
        else expect(r.err, step).toContain('nothing in the work tree had been changed');
        if (step === 'commit') expect(r.err).toMatch(/undid its commit/);
        expect(digest(repo), step).toBe(before);
        expect(git(repo, 'rev-parse', 'HEAD'), step).toBe(head);
        expect(git(repo, 'status', '--porcelain'), step).toBe('');
        await statusAgreesWithHead(repo);
        rmSync(repo, { recursive: true, force: true });
      }
    }, 600_000);
  }

  test('SIGKILL at each step: the next command says what happened; `recover` restores the tree exactly', async () => {
    for (const step of STEPS) {
      const repo = copy();
      const before = digest(repo);
      const head = git(repo, 'rev-parse', 'HEAD');
      const r = await cli(['run', 'rewrite-imports', '--repo', repo], { pauseAt: step, signal: 'SIGKILL' });
      expect(r.signal, step).toBe('SIGKILL');
      const touched = ['apply', 'verify', 'commit'].includes(step);
      if (touched) {
        expect(digest(repo), step).not.toBe(before); // the kill left edits behind
        // no figures from a tree with an unfinished phase: status says what happened instead
        const s = await repoStatus(repo).then(() => 'reported figures', (e: Error) => e.message);
        expect(s).toMatch(/an interrupted phase rewrite-imports \(pid \d+, started [^)]+\) stopped at step/);
        expect(s).toContain(`stopped at step ${step}`);
        expect(s).toContain('ssot-migrate recover');
        if (step === 'apply') {
          const st = await cli(['status', '--repo', repo]);
          expect(st.code).toBe(1);
          expect(st.out).toBe('');
          expect(st.err).toContain('ssot-migrate recover');
          const again = await cli(['run', 'rewrite-imports', '--repo', repo]);
          expect(again.code, step).toBe(1);
          expect(again.err).toContain('ssot-migrate recover');
        }
        const rec = await cli(['recover', '--repo', repo]);
        expect(rec.code, rec.err).toBe(0);
        expect(rec.out).toMatch(new RegExp(`recovered: the phase rewrite-imports \\(interrupted at step ${step}\\)`));
        expect(rec.err).toMatch(/stale lock \(pid \d+/);
      } else {
        // nothing was touched; the dead process's lock is reported as stale by the next run
        const rec = await cli(['recover', '--repo', repo]);
        expect(rec.code).toBe(0);
        expect(rec.out).toContain('nothing to recover');
        expect(rec.err).toMatch(/stale lock \(pid \d+/);
      }
      expect(digest(repo), step).toBe(before);
      expect(git(repo, 'rev-parse', 'HEAD'), step).toBe(head);
      expect(git(repo, 'status', '--porcelain'), step).toBe('');
      await statusAgreesWithHead(repo);
      rmSync(repo, { recursive: true, force: true });
    }
  }, 600_000);

  test('two concurrent runs: exactly one proceeds, the other is refused naming the holder; the winner commits', async () => {
    const repo = copy();
    const gitDir = git(repo, 'rev-parse', '--absolute-git-dir').trim();
    const a = cli(['run', 'rewrite-imports', '--repo', repo], { pauseAt: 'plan' });
    const b = cli(['run', 'rewrite-imports', '--repo', repo], { pauseAt: 'plan' });
    const first = await Promise.race([a, b]);
    // the loser ends on its own; the winner waits at "plan" until told to go on
    expect(first.code).toBe(1);
    expect(first.err).toMatch(/refused \(at lock\)[\s\S]*another ssot-migrate operation holds the lock on this repository \(pid \d+, started \d{4}-\d\d-\d\dT[^,]+, `ssot-migrate run rewrite-imports`\)/);
    const rb = await cli(['rollback', 'discover', '--repo', repo]);
    expect(rb.code).toBe(1);
    expect(rb.err).toMatch(/holds the lock/);
    writeFileSync(path.join(gitDir, 'ssot-migrate', 'resume'), '');
    const [ra, rbb] = await Promise.all([a, b]);
    const winner = ra === first ? rbb : ra;
    expect(winner.code, winner.err).toBe(0);
    expect(winner.err).toMatch(/rewrite-imports: committed/);
    expect(git(repo, 'log', '-1', '--format=%B')).toContain('SSOT-Phase: rewrite-imports');
    expect(git(repo, 'status', '--porcelain')).toBe('');
    await statusAgreesWithHead(repo);
  }, 600_000);
});
