/**
 * Last-chance flushes without changing how the process ends. One set of listeners per thread
 * serves every sink:
 *
 * - `exit` (process.exit(), natural end, an uncaught exception; in a worker: its natural end or
 *   process.exit() inside it) — the process is ending: final.
 * - `beforeExit` (the event loop emptied; the app may still schedule more work) — not final.
 * - SIGTERM, SIGINT, SIGHUP (main thread only: Node delivers no signal events to workers). A
 *   listener for a signal removes Node's default action (terminate), so after flushing we restore
 *   it: when no other listener was registered for the signal, ours is removed and the signal is
 *   raised again, so the process still dies *by that signal* (exit status, `signalCode`). When the
 *   app has its own listener, it runs as before and the process lives on — the flush was not final.
 *
 * Our signal listener is prepended so that it counts the app's listeners before any of them runs:
 * a `once` listener removes itself when it is invoked, and counted afterwards it would look absent.
 *
 * Not covered (the remaining loss): SIGKILL, a fatal native error, `worker.terminate()` on a thread
 * that is not forwarding to the main thread — at most one flush interval is lost there.
 */
import { isMainThread } from 'node:worker_threads';

/** Why a flush happens at the end of a process; `final` when nothing of ours will run afterwards. */
export interface ExitFlush {
  reason: 'exit' | 'beforeExit' | NodeJS.Signals;
  final: boolean;
}

export type ExitFlusher = (event: ExitFlush) => void;

export const FLUSH_SIGNALS: readonly NodeJS.Signals[] = process.platform === 'win32' ? ['SIGINT', 'SIGTERM'] : ['SIGTERM', 'SIGINT', 'SIGHUP'];

const flushers = new Set<ExitFlusher>();
let installed = false;

function runAll(event: ExitFlush): void {
  for (const f of [...flushers]) {
    try {
      f(event);
    } catch {
      // A flusher never throws by contract; if one does, the others and the exit still run.
    }
  }
}

const onExit = (): void => runAll({ reason: 'exit', final: true });
const onBeforeExit = (): void => runAll({ reason: 'beforeExit', final: false });
const onSignal = (signal: NodeJS.Signals): void => {
  // Counted before anything else runs: ours is first (prepended), nobody has removed itself yet.
  const appHandles = process.listenerCount(signal) > 1;
  runAll({ reason: signal, final: !appHandles });
  if (appHandles) return;
  // Nobody else listens: do what Node would have done without us — die by this signal. Removing
  // the last listener restores the default disposition, then the signal is raised again.
  uninstall();
  process.kill(process.pid, signal);
};

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', onExit);
  process.on('beforeExit', onBeforeExit);
  if (isMainThread) for (const s of FLUSH_SIGNALS) process.prependListener(s, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', onExit);
  process.off('beforeExit', onBeforeExit);
  if (isMainThread) for (const s of FLUSH_SIGNALS) process.off(s, onSignal);
}

/** Registers a synchronous flusher; returns the function that unregisters it. */
export function onProcessEnd(flusher: ExitFlusher): () => void {
  flushers.add(flusher);
  install();
  return () => {
    flushers.delete(flusher);
    if (flushers.size === 0) uninstall();
  };
}
