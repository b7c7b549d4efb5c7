/**
 * Verification against the pre-phase baseline: the TypeScript error count must not grow, and
 * no test that passed before may fail after (by exit code when the baseline passed, per test
 * from verify.testReport when it did not).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { VerifySpec } from '../../manifest/types.js';
import { parseJUnit, type Outcome } from './junit.js';
import { runCommand, type CommandResult } from './shell.js';

export interface TreeHealth {
  typeErrors: number;
  typecheck: CommandResult;
  test: CommandResult;
  testCases?: Map<string, Outcome>;
}

export interface Verdict {
  ok: boolean;
  /** Which step failed and why, with the command output that shows it. */
  failures: string[];
  summary: string;
}

// Colour escapes (SGR): TypeScript 7's tsc prints its pretty, coloured format even into a pipe.
const ANSI_SGR = /\x1b\[[0-9;]*m/g;

/**
 * Counts `error TSnnnn` diagnostics (plain or pretty, coloured or not); a failing command that
 * printed none counts as one error.
 */
export function countTypeErrors(r: CommandResult): number {
  const n = (r.output.replace(ANSI_SGR, '').match(/\berror TS\d+/g) ?? []).length;
  return n === 0 && r.exitCode !== 0 ? 1 : n;
}

export async function measureHealth(repo: string, verify: VerifySpec): Promise<TreeHealth> {
  const typecheck = await runCommand(repo, verify.typecheck);
  const reportPath = verify.testReport ? path.join(repo, verify.testReport) : undefined;
  if (reportPath) rmSync(reportPath, { force: true });
  const test = await runCommand(repo, verify.test);
  const health: TreeHealth = { typeErrors: countTypeErrors(typecheck), typecheck, test };
  if (reportPath && existsSync(reportPath)) health.testCases = parseJUnit(readFileSync(reportPath, 'utf8'));
  return health;
}

/** Refuses a baseline whose failing tests cannot be told apart from new failures. */
export function baselineProblem(before: TreeHealth, verify: VerifySpec): string | undefined {
  if (before.test.exitCode === 0) return undefined;
  if (!verify.testReport) {
    return `the test command \`${verify.test}\` fails on the pre-phase tree and the manifest sets no verify.testReport, so new failures cannot be told from old ones. Fix the failing tests first, or have the test command write a JUnit report and name it in verify.testReport.\n${tail(before.test.output)}`;
  }
  if (!before.testCases) return `the test command fails on the pre-phase tree and wrote no report at ${verify.testReport}.\n${tail(before.test.output)}`;
  return undefined;
}

export function compareHealth(before: TreeHealth, after: TreeHealth): Verdict {
  const failures: string[] = [];
  if (after.typeErrors > before.typeErrors) {
    failures.push(`typecheck: TypeScript errors rose from ${before.typeErrors} to ${after.typeErrors} (\`${after.typecheck.command}\`)\n${tail(after.typecheck.output)}`);
  }
  if (before.test.exitCode === 0) {
    if (after.test.exitCode !== 0) failures.push(`test: \`${after.test.command}\` passed before and fails after (exit ${after.test.exitCode})\n${tail(after.test.output)}`);
  } else {
    const newlyFailing = [...(before.testCases ?? [])]
      .filter(([id, o]) => o === 'passed' && after.testCases?.get(id) !== 'passed')
      .map(([id]) => id);
    if (!after.testCases) failures.push(`test: the test command wrote no report after the phase\n${tail(after.test.output)}`);
    else if (newlyFailing.length) failures.push(`test: ${newlyFailing.length} test(s) passed before and do not pass after:\n  ${newlyFailing.slice(0, 20).join('\n  ')}`);
  }
  const summary = `typecheck ${before.typeErrors}->${after.typeErrors} errors; tests ${describeTests(before)} -> ${describeTests(after)}`;
  return { ok: failures.length === 0, failures, summary };
}

function describeTests(h: TreeHealth): string {
  if (h.testCases) {
    const passed = [...h.testCases.values()].filter((o) => o === 'passed').length;
    return `${passed}/${h.testCases.size} passed`;
  }
  return h.test.exitCode === 0 ? 'pass' : `fail (exit ${h.test.exitCode})`;
}

function tail(s: string, lines = 40): string {
  const xs = s.trimEnd().split('\n');
  return xs.slice(-lines).map((l) => `    ${l}`).join('\n');
}
