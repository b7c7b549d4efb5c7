/**
 * Runs a manifest verify command in the target repo and captures everything it says. The
 * shim's telemetry sink is off: a verification run must not write files into the tree it checks.
 * The command runs in its own process group, so an interrupt can stop all of it (interrupt.ts), and
 * whatever it leaves running in that group is ended when it finishes.
 */
import { spawn } from 'node:child_process';
import { trackChild } from './interrupt.js';

export interface CommandResult {
  command: string;
  exitCode: number;
  output: string;
  ms: number;
}

export function runCommand(repo: string, command: string): Promise<CommandResult> {
  const t = performance.now();
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', command], {
      cwd: repo,
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0', CI: 'true', SSOT_SHIM_TELEMETRY: 'off' },
    });
    const untrack = trackChild(child.pid);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const done = (exitCode: number, extra = '') => {
      untrack();
      // What the command left running in its group (a daemon, a worker that ignored the end of
      // its parent) does not outlive the verification.
      if (child.pid !== undefined && process.platform !== 'win32') {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // the group is empty: nothing left behind
        }
      }
      resolve({ command, exitCode, output: Buffer.concat(out).toString('utf8') + Buffer.concat(err).toString('utf8') + extra, ms: Math.round(performance.now() - t) });
    };
    child.on('error', (e) => done(127, `\n${e.message}`));
    child.on('close', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}
