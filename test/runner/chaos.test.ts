/**
 * Chaos sweep of one phase through the real CLI: the process is killed (SIGINT, SIGTERM, SIGKILL of
 * the CLI alone, SIGKILL of its whole process group) at points no pause hook marks — from inside
 * the phase's own child processes, so the point is exact however loaded the machine is:
 *  - `verify:k`: the k-th verify command (1, 2: the baseline's typecheck and test; 3, 4: after the
 *    edits) signals the CLI, then keeps running (the CLI must end it) or exits at once;
 *  - `ref:k`: the k-th reference-transaction hook call (git runs it even with --no-verify): the
 *    phase commit's HEAD update (prepared 1, committed 2), its report note's (3, 4), and later ones
 *    (a restore's `reset --soft`) — git signals in the middle of its own ref update;
 *  - `post:1`: the post-commit hook (the commit landed, its note not yet written);
 * and pairs of them (`verify:3=SIGINT,ref:1=SIGKILL`: killed again while the SIGINT handler restores);
 * `verify:k=self:SIGKILL` kills the verify command itself (the OOM killer, a timeout), not the CLI:
 * no verdict, baseline or cached figure may come from it.
 * After every case (`recover` after a SIGKILL, as the runbook says): no journal, no lock, no git
 * lock file, no git-children record; the tree, the index's entries and HEAD are exactly as before
 * the phase, or exactly the phase's commit (HEAD's parent the base, its tree the reference run's);
 * `status` (in process: the same code as the CLI's, without a CLI start) names as done what
 * `git log`'s trailers say; a rerun of the phase commits the reference run's tree. The index is
 * compared by its entries (`git ls-files -s`), not its bytes: git's own status/diff refresh its stat data. The verify commands also leave an untracked output the restore must move
 * out of the tree (set-aside) — the tree check would see it otherwise.
 *
 * `rollback` of the committed phase goes through the same sweep (its revert commit instead of the
 * phase commit; status shows the phase pending again exactly when the revert stands).
 * The default set is a representative slice (14 cases of `run`, 4 of `rollback`, concurrent);
 * SSOT_CHAOS_FULL=1 runs every point with every signal, lingering or not, for both (243 cases;
 * documented in scripts/README.md; minutes, not for CI);
 * SSOT_CHAOS_ONLY=<text> runs the slice's cases naming it, SSOT_CHAOS_SAY=1 prints what each said.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { repoStatus, rollbackPhase, runPhase } from '../../scripts/runner/index.js';
import { gitLockFiles } from '../../scripts/runner/git-locks.js';
import { cli, type Ran } from './cli-process.js';
import { git, makeRepo, MIXED, treeDigest } from './fixture-repo.js';

const PHASE = 'toy-rewrite';
/** A folder that does not exist stands for /proc on a system without it (git-locks.ts' test seam). */
const NO_PROC = { SSOT_MIGRATE_TEST_PROC_ROOT: path.join(os.tmpdir(), 'no-such-proc-for-ssot-tests') };

/**
 * Counts its calls per kind (a noclobber file per call: the counter survives the processes) and,
 * when this call is one of CHAOS's points, signals the process whose pid is in CHAOS_DIR/pid (the
 * test writes it right after each spawn) — `group:` its whole process group. CHAOS_LINGER=1: keep
 * running a while after signalling (the CLI must end it), else exit at once. sh, not node: it runs
 * at every verify command and ref update, and the suite is CPU-bound on a loaded machine.
 */
const CHAOS_SH = `[ -n "$CHAOS_DIR" ] && [ -n "$CHAOS" ] || exit 0
n=1
while ! (set -C; : > "$CHAOS_DIR/$1-$n") 2>/dev/null; do n=$((n+1)); done
for point in $(echo "$CHAOS" | tr ',' ' '); do
  [ "\${point%%=*}" = "$1:$n" ] || continue
  sig=\${point#*=}
  i=0; while [ ! -s "$CHAOS_DIR/pid" ] && [ $i -lt 400 ]; do sleep 0.01; i=$((i+1)); done
  pid=$(cat "$CHAOS_DIR/pid")
  case $sig in group:*) kill -s "\${sig#group:SIG}" -- "-$pid" ;; self:*) kill -s "\${sig#self:SIG}" 0 ;; *) kill -s "\${sig#SIG}" "$pid" ;; esac
  [ -z "$CHAOS_LINGER" ] || sleep 3
done
exit 0
`;

/** The fixture's verify commands, each first through chaos.sh, and each leaving an output git does not ignore. */
const VERIFY = {
  typecheck: 'sh chaos.sh verify && mkdir -p verify-out && echo tc > verify-out/typecheck.txt && node typecheck.mjs',
  test: 'sh chaos.sh verify && mkdir -p verify-out && echo t > verify-out/test.txt && node test.mjs',
};

const FILES = { 'chaos.sh': CHAOS_SH, ...MIXED };

/** The CLI in its own process group (so `group:` kills reach it, its gits and hooks, not vitest); its pid where chaos.sh reads it. */
const run = (args: string[], env: Record<string, string> = {}, chaosDir?: string): Promise<Ran> =>
  cli(args, { env, detached: true, onStart: (pid) => chaosDir && writeFileSync(path.join(chaosDir, 'pid'), String(pid)) });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const gitDirOf = (repo: string) => git(repo, 'rev-parse', '--absolute-git-dir').trim();
const indexEntries = (repo: string) => git(repo, 'ls-files', '-s');
const trailers = (repo: string) =>
  git(repo, 'log', '--format=%(trailers:key=SSOT-Phase,valueonly)')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .reverse();

/** What a case runs (`run` the phase, or `rollback` it once committed) and the state it starts from. */
interface Op {
  command: 'run' | 'rollback';
  prepared: string;
  base: string;
  beforeDigest: string;
  beforeIndex: string;
  /** The uninterrupted operation's commit tree and work tree (its verify outputs included). */
  refTree: string;
  refDigest: string;
}

let root = '';
const ops = {} as Record<Op['command'], Op>;
let counter = 0;

function copy(from: string): string {
  const dir = path.join(root, `case-${counter++}`);
  execFileSync('cp', ['-a', from, dir]);
  return dir;
}

/** Records where `prepared` stands and runs `command` uninterrupted on a copy: the reference outcome. */
async function prepareOp(command: Op['command'], prepared: string): Promise<Op> {
  const op = { command, prepared, base: git(prepared, 'rev-parse', 'HEAD').trim(), beforeDigest: treeDigest(prepared), beforeIndex: indexEntries(prepared) };
  const ref = copy(prepared);
  const r = await run([command, PHASE, '--repo', ref]);
  expect(r.code, r.err).toBe(0);
  const refDigest = treeDigest(ref);
  expect(refDigest).not.toBe(op.beforeDigest);
  return { ...op, refTree: git(ref, 'rev-parse', 'HEAD^{tree}').trim(), refDigest };
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ssot-chaos-'));
  const made = makeRepo(FILES, { verify: VERIFY });
  const prepared = path.join(root, 'prepared');
  execFileSync('mv', [made, prepared]);
  const d = await runPhase(prepared, 'discover');
  expect(d.status, d.reason).toBe('committed');
  // the outputs discover's verification left are the user's now (untracked before the phase: never moved)
  rmSync(path.join(prepared, 'verify-out'), { recursive: true, force: true });
  // every case measures its baseline (verify:1, verify:2 are points too): no cached figures
  rmSync(path.join(gitDirOf(prepared), 'ssot-health'), { recursive: true, force: true });
  const hooks = path.join(gitDirOf(prepared), 'hooks');
  mkdirSync(hooks, { recursive: true });
  for (const [hook, kind] of [['reference-transaction', 'ref'], ['post-commit', 'post']] as const) {
    // reference-transaction: "prepared" and "committed" only (an "aborted" call is no point of the phase)
    const filter = hook === 'reference-transaction' ? '[ "$1" = prepared ] || [ "$1" = committed ] || exit 0\n' : '';
    writeFileSync(path.join(hooks, hook), `#!/bin/sh\n${filter}[ -n "$CHAOS_DIR" ] || exit 0\ncd "$CHAOS_REPO" && exec sh chaos.sh ${kind}\n`);
    chmodSync(path.join(hooks, hook), 0o755);
  }
  ops.run = await prepareOp('run', prepared);
  // the phase committed (its outputs and cached figures gone again): what `rollback` starts from
  const committed = copy(prepared);
  const t = await runPhase(committed, PHASE);
  expect(t.status, t.reason).toBe('committed');
  rmSync(path.join(committed, 'verify-out'), { recursive: true, force: true });
  rmSync(path.join(gitDirOf(committed), 'ssot-health'), { recursive: true, force: true });
  ops.rollback = await prepareOp('rollback', committed);
}, 180_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * Runs `recover` (with the case's chaos: a point may kill recover itself, in its `reset --soft`)
 * until it is neither killed nor refused for a git the killed CLI left running (that git ends on its own).
 */
async function recover(repo: string, env: Record<string, string>, chaosDir: string): Promise<Ran> {
  for (let i = 0; ; i++) {
    const r = await run(['recover', '--repo', repo], env, chaosDir);
    if (i >= 40 || (r.signal !== 'SIGKILL' && !/git is still running/.test(r.err))) return r;
    if (r.signal !== 'SIGKILL') await sleep(250);
  }
}

/** In-process runs share the runner's module state (the active operation, the git observers): one at a time. */
let inProcess: Promise<unknown> = Promise.resolve();
function serially<T>(f: () => Promise<T>): Promise<T> {
  const next = inProcess.then(f, f);
  inProcess = next.catch(() => {});
  return next;
}

/** Kills `op` at `chaos` (points as in the header) on a copy of its prepared repo, then checks everything. */
async function chaosCase(op: Op, chaos: string, linger: boolean, noProc: boolean): Promise<void> {
  const { base, beforeDigest, beforeIndex, refTree, refDigest } = op;
  const repo = copy(op.prepared);
  const chaosDir = mkdtempSync(path.join(root, 'chaos-'));
  const env = { CHAOS: chaos, CHAOS_DIR: chaosDir, CHAOS_REPO: repo, ...(linger ? { CHAOS_LINGER: '1' } : {}), ...(noProc ? NO_PROC : {}) };
  const r = await run([op.command, PHASE, '--repo', repo], env, chaosDir);
  const hits = () => readdirSync(chaosDir).filter((n) => n !== 'pid').sort();
  const what = `${op.command} ${chaos}${linger ? ' (linger)' : ''}${noProc ? ' (no /proc)' : ''}: exit ${r.code ?? r.signal}; calls ${hits().join(' ')}\n${r.err}`;
  // the point was reached (else the case tests nothing)
  expect(hits(), what).toContain(chaos.split(',')[0]!.split('=')[0]!.replace(':', '-'));
  const killed = r.signal === 'SIGKILL';
  const self = chaos.includes('=self:');
  // SIGINT/SIGTERM: the CLI restored by itself (or the phase had finished: its commit stands)
  if (!killed && !self) expect([0, 130, 143], what).toContain(r.code);
  if (self) {
    // a verify command killed (the OOM killer, a timeout): no verdict claimed from it, none remembered
    expect(r.code, what).toBe(1);
    expect(r.err, what).toMatch(/the (typecheck|test) command `[^`]+` was killed by SIGKILL after \d+ ms, before it finished/);
    expect(r.err, what).not.toMatch(/errors rose|fails on the pre-phase tree|tests? (failed|fail) /);
  }
  let said = r.err;
  if (killed) {
    const rec = await recover(repo, env, chaosDir);
    expect(rec.code, `${what}\nrecover: ${rec.err}${rec.out}`).toBe(0);
    said = rec.out;
  }
  if (process.env.SSOT_CHAOS_SAY) console.log(`${what}\n-> ${said}`);
  const gd = gitDirOf(repo);
  const state = readdirSync(path.join(gd, 'ssot-migrate')).filter((n) => n !== 'set-aside');
  expect(state, what).toEqual([]); // no journal, no record of gits, no commit-paths list, no temp
  expect(existsSync(path.join(gd, 'ssot-migrate.lock')), what).toBe(false);
  expect(gitLockFiles(repo).map((l) => l.name), what).toEqual([]);
  const committed = git(repo, 'rev-parse', 'HEAD').trim() !== base;
  if (committed) {
    // exactly the phase's commit: on the base, the reference tree, the tree on disk that commit's
    expect(git(repo, 'rev-parse', 'HEAD^').trim(), what).toBe(base);
    expect(git(repo, 'rev-parse', 'HEAD^{tree}').trim(), what).toBe(refTree);
    expect(git(repo, 'log', '-1', '--format=%(trailers:key=SSOT-Phase,key=SSOT-Rollback)').trim(), what).toBe(op.command === 'run' ? `SSOT-Phase: ${PHASE}` : `SSOT-Rollback: ${PHASE}`);
    expect(git(repo, 'status', '--porcelain', '--untracked-files=no'), what).toBe('');
    expect(treeDigest(repo), what).toBe(refDigest);
    if (!killed) expect(r.code, what).toBe(0); // a SIGINT/SIGTERM that let the phase commit says so
  } else {
    expect(treeDigest(repo), what).toBe(beforeDigest);
    expect(indexEntries(repo), what).toBe(beforeIndex);
    expect(git(repo, 'status', '--porcelain'), what).toBe('');
    if (!killed) expect(r.code, what).not.toBe(0);
    // the verify outputs moved out of the tree were announced where they went
    const setAside = path.join(gd, 'ssot-migrate', 'set-aside');
    for (const dir of existsSync(setAside) ? readdirSync(setAside) : []) expect(said, what).toContain(dir);
  }
  // status agrees with git log (in process: the figures are the same code, without a CLI start):
  // the phases its trailers record, less the one a rollback commit reverted
  const done = (await repoStatus(repo)).phases.filter((p) => p.state === 'done').map((p) => p.phase);
  const rolledBack = git(repo, 'log', '--format=%(trailers:key=SSOT-Rollback,valueonly)').split('\n').map((l) => l.trim()).filter(Boolean);
  expect(done, what).toEqual(trailers(repo).filter((p) => !rolledBack.includes(p)));
  expect(done.includes(PHASE), what).toBe((op.command === 'run') === committed);
  // a rerun (no chaos) ends with the reference commit
  if (op.command === 'run') {
    const again = await serially(() => runPhase(repo, PHASE));
    expect(again.status, `${what}\nrerun: ${again.reason}`).toBe(committed ? 'nothing-to-do' : 'committed');
  } else if (!committed) {
    const again = await serially(() => rollbackPhase(repo, PHASE));
    expect(again.ok, `${what}\nrerun: ${again.reason}`).toBe(true);
  }
  expect(git(repo, 'rev-parse', 'HEAD^{tree}').trim(), what).toBe(refTree);
  expect(git(repo, 'rev-parse', 'HEAD^').trim(), what).toBe(base);
  rmSync(repo, { recursive: true, force: true });
}

type Case = [chaos: string, linger: boolean, noProc?: boolean];


const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGKILL', 'group:SIGINT', 'group:SIGTERM', 'group:SIGKILL'] as const;
const POINTS = ['verify:1', 'verify:2', 'verify:3', 'verify:4', 'ref:1', 'ref:2', 'ref:3', 'ref:4', 'post:1'] as const;

/** Every point where a process of the phase runs, with the signals rotating; kills during a restore; without /proc. */
const SLICE: Case[] = [
  ['verify:1=SIGINT', true],
  ['verify:2=SIGKILL', false],
  ['verify:3=SIGTERM', true],
  ['verify:4=group:SIGKILL', true],
  ['ref:1=SIGKILL', false], // its git commits after the CLI is gone: recover waits for it, then undoes the commit
  ['ref:1=group:SIGINT', false], // a Ctrl-C reaches the whole foreground group: the CLI and its git at once
  ['ref:2=group:SIGKILL', false, true],
  ['ref:3=group:SIGTERM', false],
  ['ref:4=SIGINT', false],
  ['post:1=SIGTERM', false],
  // killed again while the SIGINT handler restores: in its `reset --soft` of the phase commit
  ['ref:4=SIGINT,ref:5=group:SIGKILL', false, true],
  // recover itself killed (its group) in its `reset --soft`, holding HEAD.lock; the next recover finishes
  ['ref:3=group:SIGKILL,ref:4=group:SIGKILL', false, true],
  // the verify command itself killed (its own group), not the CLI: at the baseline and after the edits
  ['verify:1=self:SIGKILL', false],
  ['verify:4=self:SIGKILL', false],
];

const FULL: Case[] = [
  ...POINTS.flatMap((p) => SIGNALS.flatMap((s): Case[] => [[`${p}=${s}`, false], [`${p}=${s}`, true]])),
  ...['ref:2', 'ref:3', 'ref:4'].flatMap((p): Case[] => [[`${p}=SIGINT,ref:${Number(p.slice(4)) + 1}=SIGKILL`, false], [`${p}=SIGTERM,ref:${Number(p.slice(4)) + 1}=group:SIGKILL`, false]]),
  ['verify:3=SIGINT,ref:1=SIGKILL', false],
  ...SLICE.filter(([, , noProc]) => noProc),
  ...[1, 2, 3, 4].map((k): Case => [`verify:${k}=self:SIGKILL`, false]),
];

/** A rollback step is the same machinery (journal, verify, commit): a few points by default, all of them with SSOT_CHAOS_FULL. */
const ROLLBACK_SLICE: Case[] = [
  ['verify:3=SIGTERM', true],
  ['ref:1=SIGKILL', false],
  ['ref:2=SIGINT,ref:3=group:SIGKILL', false, true],
  ['verify:4=self:SIGKILL', false],
];

/**
 * The full set for a rollback, less the pair whose second kill is meant for the SIGINT handler's
 * restore after the edits' verify: a rollback's `git revert --no-commit` updates refs (ref 1-2)
 * before the verify that checks it, so `ref:1` fires first and `verify:3` is never reached (the case
 * would test nothing).
 */
const ROLLBACK_FULL = FULL.filter(([c]) => c !== 'verify:3=SIGINT,ref:1=SIGKILL');
const pick = (slice: Case[], full: Case[]) => (process.env.SSOT_CHAOS_ONLY ? slice.filter(([c]) => c.includes(process.env.SSOT_CHAOS_ONLY!)) : process.env.SSOT_CHAOS_FULL ? full : slice);
const CASES: [Op['command'], Case][] = [...pick(SLICE, FULL).map((c): [Op['command'], Case] => ['run', c]), ...pick(ROLLBACK_SLICE, ROLLBACK_FULL).map((c): [Op['command'], Case] => ['rollback', c])];

describe.concurrent('chaos: a phase (and its rollback) killed at points inside its own child processes', () => {
  for (const [command, [chaos, linger, noProc]] of CASES) test(`${command} ${chaos}${linger ? ' (the signalling process lingers)' : ''}${noProc ? ' (no /proc)' : ''}`, () => chaosCase(ops[command], chaos, linger, noProc === true), 120_000);
});
