/**
 * Runs a manifest verify command in the target repo and captures everything it says. The
 * shim's telemetry sink is off: a verification run must not write files into the tree it checks.
 */
import { $ } from 'zx';

export interface CommandResult {
  command: string;
  exitCode: number;
  output: string;
  ms: number;
}

export async function runCommand(repo: string, command: string): Promise<CommandResult> {
  const t = performance.now();
  const r = await $({ cwd: repo, quiet: true, nothrow: true, env: { ...process.env, FORCE_COLOR: '0', CI: 'true', SSOT_SHIM_TELEMETRY: 'off' } })`bash -c ${command}`;
  return { command, exitCode: r.exitCode ?? 1, output: r.stdout + r.stderr, ms: Math.round(performance.now() - t) };
}
