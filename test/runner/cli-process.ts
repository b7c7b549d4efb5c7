/**
 * The ssot-migrate CLI as the runner tests start it: a real process, its output collected, its
 * pause hook (SSOT_TEST_PAUSE_AT) awaited. It runs the built CLI (built-cli.mjs: dist/, as an
 * installed package runs it) unless `bin: SOURCE_BIN` asks for the checkout's bin (the sources
 * through tsx), for the tests about tsx's own helper processes.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

export const BUILT_CLI = path.resolve(import.meta.dirname, 'built-cli.mjs');
export const SOURCE_BIN = path.resolve(import.meta.dirname, '../../bin/ssot-migrate.js');

export interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

export interface CliOptions {
  env?: Record<string, string>;
  /** The runner pauses at this step (SSOT_TEST_PAUSE_AT); `paused` resolves once it says so. */
  pauseAt?: string;
  /** Sent to the CLI once it paused at `pauseAt`. */
  signal?: NodeJS.Signals;
  /** In its own process group, so a kill of the group reaches the CLI and its children, not vitest. */
  detached?: boolean;
  /** stdin, stdout, stderr: `ignore` is /dev/null (default: pipes; stdin left open, the others collected). */
  stdio?: ['pipe' | 'ignore', 'pipe' | 'ignore', 'pipe' | 'ignore'];
  /** Called with the CLI's pid right after the spawn. */
  onStart?: (pid: number) => void;
  /** Called with all of stderr so far at each chunk. */
  onStderr?: (err: string, pid: number) => void;
  bin?: string;
}

export interface Started {
  pid: number;
  paused: Promise<void>;
  done: Promise<Ran>;
}

/** Starts `ssot-migrate <args>`. */
export function startCli(args: string[], opts: CliOptions = {}): Started {
  const env = { ...process.env, ...(opts.pauseAt ? { SSOT_TEST_PAUSE_AT: opts.pauseAt } : {}), ...opts.env };
  const child = spawn(process.execPath, [opts.bin ?? BUILT_CLI, ...args], { env, detached: opts.detached, stdio: opts.stdio ?? ['pipe', 'pipe', 'pipe'] });
  const pid = child.pid!;
  opts.onStart?.(pid);
  let out = '';
  let err = '';
  let onPause = () => {};
  const paused = new Promise<void>((resolve) => (onPause = resolve));
  let sent = false;
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => {
    err += b.toString();
    if (!sent && opts.pauseAt && err.includes(`ssot-test: paused at ${opts.pauseAt}`)) {
      sent = true;
      onPause();
      if (opts.signal) child.kill(opts.signal);
    }
    opts.onStderr?.(err, pid);
  });
  const done = new Promise<Ran>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, out, err })));
  return { pid, paused, done };
}

/** Runs `ssot-migrate <args>` to its end. */
export const cli = (args: string[], opts: CliOptions = {}): Promise<Ran> => startCli(args, opts).done;

/** Runs `ssot-migrate <args>` to its end, synchronously; `input` is written to its stdin. */
export function cliSync(args: string[], opts: { env?: Record<string, string>; input?: string; bin?: string } = {}): Ran {
  const r = spawnSync(process.execPath, [opts.bin ?? BUILT_CLI, ...args], { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024, input: opts.input, env: { ...process.env, ...opts.env } });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

/** Polls `ok` every 25 ms until it holds; throws naming `what` after `ms`. */
export async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
