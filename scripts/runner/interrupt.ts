/**
 * What SIGINT/SIGTERM do while an operation holds the repo: stop the verify commands it started,
 * restore the tree from the journal (synchronously, so nothing of the interrupted flow runs in
 * between), release the lock, say what happened and exit 130/143. The CLI installs the handlers;
 * the runner tells this module which operation and step are current.
 *
 * Test hook: SSOT_TEST_PAUSE_AT=<step> makes the runner stop at that step (printing
 * "ssot-test: paused at <step>" on stderr) until the file `<git dir>/ssot-migrate/resume` exists,
 * so a test can send a signal at a known point.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync } from 'node:fs';
import { endHelperProcessesSync } from '../helper-processes.js';
import path from 'node:path';
import { gitChildAlive, readGitChildren, recordGitChildren } from './git-children.js';
import { clearLocksLeftSince } from './git-locks.js';
import { readJournal, restoreFromJournal, type Journal } from './journal.js';
import { gitDirSync, type RepoLock } from './lock.js';
import { changedTrackedText, setAsideText } from './untracked.js';

export const STEPS = ['preflight', 'plan', 'baseline', 'apply', 'verify', 'commit'] as const;

export interface Operation {
  repo: string;
  what: string;
  lock: RepoLock;
  step: string;
  journal?: Journal;
  stopRecording?: () => void;
}

// Every operation this process is running. The CLI runs one; a program calling the runner's API
// may run several at once (on different repos), so each keeps its own lock, step and journal:
// with one shared record, the second operation's begin replaced the first's and the first's end
// released the second's lock, leaving the first's lock file held by a live process.
const operations: Operation[] = [];
// Which operation the runner's code is in, across its awaits (setStep/setJournal name none).
const current = new AsyncLocalStorage<Operation>();
const children = new Set<number>();

export function beginOperation(repo: string, what: string, lock: RepoLock): Operation {
  const op: Operation = { repo, what, lock, step: 'preflight', stopRecording: recordGitChildren(repo) };
  operations.push(op);
  return op;
}

/** Runs `body` as `op`: the steps and journal it sets are `op`'s. */
export function inOperation<T>(op: Operation, body: () => Promise<T>): Promise<T> {
  return current.run(op, body);
}

export function endOperation(op: Operation): void {
  const at = operations.indexOf(op);
  if (at < 0) return; // ended by an interrupt already
  operations.splice(at, 1);
  op.stopRecording?.();
  op.stopRecording = undefined;
  op.lock.release();
}

function active(): Operation | undefined {
  return current.getStore() ?? operations[operations.length - 1];
}

/**
 * The operation's recorded git children get SIGTERM (git removes its lock files on it), and are
 * waited for (up to `waitMs`): where /proc is missing, endHelperProcessesSync finds no descendant to
 * end, and a `kill -TERM <cli pid>` reaches the CLI alone — a git still running after the restore
 * could move HEAD after it. Returns whether none of them runs any more.
 */
function termRecordedGits(repo: string, waitMs = 3000): boolean {
  const recorded = readGitChildren(repo)?.children ?? [];
  for (const c of recorded) {
    try {
      process.kill(c.pid, 'SIGTERM');
    } catch {
      // gone
    }
  }
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const until = Date.now() + waitMs;
  while (recorded.some((c) => gitChildAlive(c.pid)) && Date.now() < until) Atomics.wait(cell, 0, 0, 10);
  return !recorded.some((c) => gitChildAlive(c.pid));
}

export function setStep(step: string): void {
  const a = active();
  if (!a) return;
  a.step = step;
  a.journal?.setStep(step);
}

export function setJournal(journal: Journal | undefined): void {
  const a = active();
  if (a) a.journal = journal;
}

/** Verify commands run in their own process group; an interrupt kills the group. */
export function trackChild(pid: number | undefined): () => void {
  if (pid === undefined) return () => {};
  children.add(pid);
  return () => children.delete(pid);
}

function killChildren(): void {
  for (const pid of children) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }
  children.clear();
}

export async function pauseForTest(repo: string, step: string): Promise<void> {
  if (process.env.SSOT_TEST_PAUSE_AT !== step) return;
  const resume = path.join(gitDirSync(repo), 'ssot-migrate', 'resume');
  process.stderr.write(`ssot-test: paused at ${step}\n`);
  const until = Date.now() + 120_000;
  while (!existsSync(resume) && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
}

/**
 * Restores the active operation's tree (if it touched it) and returns the message to print.
 * Every process the operation started is ended first, and waited for: the verify commands'
 * groups (SIGKILL), then the rest (a git commit or note in flight, a hook it runs) with SIGTERM,
 * so git removes its lock files — a git outliving the restore could move HEAD after it (the
 * phase recorded over a restored tree), and one killed outright leaves index.lock/HEAD.lock behind.
 */
export function interruptActive(signal: string): string {
  killChildren();
  endHelperProcessesSync(2000, 3000);
  if (operations.length === 0) return `ssot-migrate: interrupted by ${signal}`;
  // Every operation in progress is restored (the CLI has one), the latest first.
  return operations.splice(0).reverse().map((a) => interruptOne(a, signal)).join('\n');
}

function interruptOne(a: Operation, signal: string): string {
  const gitsEnded = termRecordedGits(a.repo);
  let msg: string;
  let locks = '';
  try {
    const since = Date.parse(a.lock.info.startedAt);
    const cleared = Number.isNaN(since) ? undefined : clearLocksLeftSince(a.repo, since);
    if (cleared?.removed.length) locks += `; removed the git lock file(s) its git left: ${cleared.removed.join(', ')}`;
    if (cleared?.kept.length) locks += `; git lock file(s) left in the git dir: ${cleared.kept.join(', ')} (${cleared.why})`;
  } catch {
    // naming them is a courtesy; the restore below is what matters
  }
  try {
    const j = a.journal ? readJournal(a.repo) : undefined;
    if (j) {
      const r = restoreFromJournal(a.repo, j);
      // at the baseline the journal is there (its verify commands write files) but no file of the phase was written yet
      const files = r.step === 'baseline' ? 'nothing in the work tree had been changed' : `restored ${r.files} file(s) byte-for-byte`;
      msg = `ssot-migrate: ${a.what} interrupted by ${signal} at step ${a.step}; ${files}${r.undidCommit ? ` and undid its commit ${r.undidCommit.slice(0, 10)}${r.noteLeft ? ` (${r.noteLeft})` : ''}` : ''}; HEAD is ${r.base?.slice(0, 10) ?? 'unchanged'}, the tree is as it was before${r.setAside ? `; ${setAsideText(r.setAside)}` : ''}${r.changedTracked ? `; ${changedTrackedText(r.changedTracked)}` : ''}${locks}`;
    } else msg = `ssot-migrate: ${a.what} interrupted by ${signal} at step ${a.step}; nothing in the work tree had been changed${locks}`;
    // The operation is over and none of its gits runs: its record goes (kept while one still runs,
    // so status and recover name it). The restore's own gits were recorded until they ended.
    if (gitsEnded) {
      a.stopRecording?.();
      a.stopRecording = undefined;
    }
    a.lock.release();
  } catch (err) {
    // The journal stays: `recover` can finish the job. The lock goes with this process (stale).
    msg = `ssot-migrate: ${a.what} interrupted by ${signal} at step ${a.step}; the tree could not be restored here (${(err as Error).message}); run \`ssot-migrate recover --repo ${a.repo}\``;
  }
  return msg;
}

let installed = false;

/** SIGINT → exit 130, SIGTERM → exit 143, after restoring the active operation's tree. */
export function installInterruptHandlers(): void {
  if (installed) return;
  installed = true;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.on(signal, () => {
      process.stderr.write(`${interruptActive(signal)}\n`);
      endHelperProcessesSync(); // no process outlives the CLI (tsx's esbuild service, a git child)
      process.exit(code);
    });
  }
}
