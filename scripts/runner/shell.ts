/**
 * Runs a manifest verify command in the target repo and captures everything it says. The
 * shim's telemetry sink is off: a verification run must not write files into the tree it checks.
 * The command runs in its own process group, so an interrupt can stop all of it (interrupt.ts), and
 * whatever it leaves running in that group is ended when it finishes.
 *
 * Being in its own group, a SIGKILL of the CLI (or of the CLI's group: `kill -9 -PGID`, an OOM
 * kill, a CI runner's timeout) would not reach it: a slow test suite would run on after the CLI is
 * gone, after `recover` restored the tree, and write its reports into it. So the group watches its
 * parent: a background reader (stdout/stderr on /dev/null, so it never holds the output pipes
 * open) waits on a pipe only the CLI holds; the kernel closes it when the CLI dies however it dies,
 * and the reader then SIGKILLs the whole group. The command itself reads /dev/null, as before.
 */
import { spawn } from 'node:child_process';
import { trackChild } from './interrupt.js';

export interface CommandResult {
  command: string;
  exitCode: number;
  output: string;
  ms: number;
  /**
   * Set when the command did not end on its own: its shell was ended by a signal, or it exits as a
   * shell does for a process SIGKILLed (137: the OOM killer, a sandbox) or SIGTERMed (143: a
   * timeout). Its exit code then measures nothing about the tree.
   */
  killedBy?: string;
}

/** What ended a command that did not end on its own (CommandResult.killedBy), or undefined. */
function killedBy(code: number | null, signal: NodeJS.Signals | null): string | undefined {
  if (signal) return signal;
  if (code === 137) return 'SIGKILL (exit 137)';
  if (code === 143) return 'SIGTERM (exit 143)';
  return undefined;
}

/** Runs before the command in its shell: the watchdog described above, then stdin back to /dev/null. */
export const PARENT_WATCH = '{ IFS= read -r _; kill -KILL 0; } 0<&0 >/dev/null 2>&1 &\nexec 0</dev/null\n';

export function runCommand(repo: string, command: string): Promise<CommandResult> {
  const t = performance.now();
  const grouped = process.platform !== 'win32';
  return new Promise((resolve) => {
    // --norc: stdin is a socket pair (the watchdog's pipe), and Debian's bash then sources ~/.bashrc when
    // SHLVL is unset (as for a CLI started by a service or a CI agent): an nvm or pyenv init there would
    // change the node or PATH the verify command runs with, and costs ~0.6 CPU-s per command.
    const child = spawn('bash', ['--norc', '-c', grouped ? PARENT_WATCH + command : command], {
      cwd: repo,
      detached: grouped,
      // stdin: the pipe the watchdog waits on (never written, never closed by us while the group lives)
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0', CI: 'true', SSOT_SHIM_TELEMETRY: 'off' },
    });
    const untrack = trackChild(child.pid);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => {}); // the group ended first: nothing to tell it
    if (!grouped) child.stdin.end(); // no watchdog: the command reads an empty stdin, as from /dev/null
    const done = (exitCode: number, extra = '', killed?: string) => {
      untrack();
      // What the command left running in its group (a daemon, a worker that ignored the end of
      // its parent) does not outlive the verification.
      if (child.pid !== undefined && grouped) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // the group is empty: nothing left behind
        }
        child.stdin.destroy(); // and the watchdog, if the SIGTERM missed it, reads EOF and ends the group
      }
      resolve({ command, exitCode, output: Buffer.concat(out).toString('utf8') + Buffer.concat(err).toString('utf8') + extra, ms: Math.round(performance.now() - t), ...(killed ? { killedBy: killed } : {}) });
    };
    child.on('error', (e) => done(127, `\n${e.message}`));
    child.on('close', (code, signal) => done(code ?? (signal ? 128 : 1), '', killedBy(code, signal)));
  });
}
