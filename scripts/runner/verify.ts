/**
 * Verification against the pre-phase baseline: no TypeScript error that was not there before and
 * no rise in their count, and no test that passed before may fail after (by exit code when the
 * baseline passed, per test from verify.testReport when it did not).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gitDirSync } from './lock.js';
import type { VerifySpec } from '../../manifest/types.js';
import { verifyTestRunsNoTests, type NoTestKind } from '../../manifest/test-command.js';
import { parseSource } from '../../codemods/engine/parse.js';
import { parseJUnit, parseJUnitFailures, type Outcome } from './junit.js';
import { runCommand, type CommandResult } from './shell.js';

export interface TreeHealth {
  typeErrors: number;
  typecheck: CommandResult;
  test: CommandResult;
  testCases?: Map<string, Outcome>;
  /** Set when the test command runs no test at all (manifest/test-command.ts): its exit code says nothing about tests. */
  noTests?: NoTestKind;
  /** Failure messages per test id, from the JUnit report (not cached). */
  failureMessages?: Map<string, string>;
}

export interface Verdict {
  ok: boolean;
  /** Where the failed verification's full output was written (set by the runner). */
  log?: string;
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

/**
 * A verify command that did not end on its own (killed by a signal: the OOM killer, a timeout, a
 * person): its exit code and output are no figure of the tree. Not a failing typecheck or test, not
 * a baseline to remember — the runner says so and records nothing.
 */
export class VerifyKilledError extends Error {
  override name = 'VerifyKilledError';
}

function measured(kind: 'typecheck' | 'test', r: CommandResult): CommandResult {
  if (r.killedBy) throw new VerifyKilledError(`the ${kind} command \`${r.command}\` was killed by ${r.killedBy} after ${r.ms} ms, before it finished (out of memory, a timeout, or ended by hand): its result measures nothing, so no verdict was made and no figure kept — run the phase again\n${tail(r.output)}`);
  return r;
}

/** Runs the typecheck, then the test command; throws VerifyKilledError when either was killed. */
export async function measureHealth(repo: string, verify: VerifySpec): Promise<TreeHealth> {
  const typecheck = measured('typecheck', await runCommand(repo, verify.typecheck));
  const reportPath = verify.testReport ? path.join(repo, verify.testReport) : undefined;
  if (reportPath) rmSync(reportPath, { force: true });
  const test = measured('test', await runCommand(repo, verify.test));
  const health: TreeHealth = { typeErrors: countTypeErrors(typecheck), typecheck, test };
  const noTests = verifyTestRunsNoTests(verify.test, packageScripts(repo));
  if (noTests) health.noTests = noTests;
  if (reportPath && existsSync(reportPath)) {
    const xml = readFileSync(reportPath, 'utf8');
    health.testCases = parseJUnit(xml);
    health.failureMessages = parseJUnitFailures(xml);
  }
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

/**
 * tsc reports only the syntax errors of a program in which a file fails to parse and type-checks
 * nothing else: a baseline of nothing but TS1xxx diagnostics, in files that do not parse, means no
 * phase could ever raise the count — the typecheck would verify nothing. Refused with the fix, as is
 * a typecheck that fails printing no diagnostic at all.
 */
export function blindTypecheckProblem(repo: string, before: TreeHealth): string | undefined {
  // A typecheck that fails without one diagnostic (tsc not installed, `npx` refusing to fetch it, a
  // crashed script) fails the same way after any phase: counted as one error before and after, it
  // would "verify" every change. Refused with its output instead.
  if (before.typecheck.exitCode !== 0 && !/\berror TS\d+/.test(before.typecheck.output.replace(ANSI_SGR, ''))) {
    return `the typecheck command \`${before.typecheck.command}\` fails on the pre-phase tree (exit ${before.typecheck.exitCode}) without printing a TypeScript diagnostic, so it checks nothing a phase could break. Make verify.typecheck a command that runs the type checker in this repo (e.g. install typescript, or name tsc's path).\n${tail(before.typecheck.output)}`;
  }
  const diags = typeDiagnostics(before.typecheck);
  if (diags.length === 0 || diags.some((d) => !/^TS1\d{3}$/.test(d.code))) return undefined;
  const unparsable = [...new Set(diags.map((d) => d.file))].filter((f) => {
    const abs = path.resolve(repo, f);
    return existsSync(abs) && parseSource(abs, readFileSync(abs, 'utf8')).error !== undefined;
  });
  if (unparsable.length === 0) return undefined;
  return `the typecheck command \`${before.typecheck.command}\` reports only syntax errors (${diags.length}), in ${unparsable.join(', ')}, which do${unparsable.length === 1 ? 'es' : ''} not parse: tsc type-checks nothing in a program with a file that does not parse, so no phase's typecheck could fail. Exclude ${unparsable.length === 1 ? 'it' : 'them'} from the tsconfig the command uses (the phases leave a file that does not parse untouched), or fix ${unparsable.length === 1 ? 'it' : 'them'}. Without touching the repo's tsconfig: point verify.typecheck at a tsconfig that extends it and excludes ${unparsable.length === 1 ? 'it' : 'them'}, and list ${unparsable.length === 1 ? 'it' : 'them'} in the manifest's deletions if remove-shim should delete ${unparsable.length === 1 ? 'it' : 'them'}.`;
}

export interface TypeDiagnostic {
  file: string;
  line: number;
  code: string;
  message: string;
}

/** `file(line,col): error TSnnnn: message` (plain) and `file:line:col - error TSnnnn: message` (pretty). */
export function typeDiagnostics(r: CommandResult): TypeDiagnostic[] {
  const out: TypeDiagnostic[] = [];
  for (const raw of r.output.replace(ANSI_SGR, '').split('\n')) {
    const l = raw.trimEnd();
    const m = /^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/.exec(l) ?? /^(.+?):(\d+):\d+ - error (TS\d+): (.*)$/.exec(l);
    if (m) out.push({ file: m[1]!.trim(), line: Number(m[2]), code: m[3]!, message: m[4]! });
  }
  return out;
}

/**
 * Diagnostics after that were not there before. A diagnostic is the same one when its file, code
 * and message match; failing that, its file and code (a phase renames the types a message names);
 * failing that, its code and message (move-declarations carries a declaration, with its error, to
 * another file). Lines may move. Matched in that order, each diagnostic before at most once.
 */
export function newTypeErrors(before: CommandResult, after: CommandResult): TypeDiagnostic[] {
  const tiers: ((d: TypeDiagnostic) => string)[] = [
    (d) => `${d.file}\0${d.code}\0${d.message}`,
    (d) => `${d.file}\0${d.code}`,
    (d) => `${d.code}\0${d.message}`,
  ];
  let left = typeDiagnostics(before);
  let fresh = typeDiagnostics(after);
  for (const key of tiers) {
    const seen = new Map<string, TypeDiagnostic[]>();
    for (const d of left) {
      const list = seen.get(key(d));
      if (list) list.push(d);
      else seen.set(key(d), [d]);
    }
    const matched = new Set<TypeDiagnostic>();
    fresh = fresh.filter((d) => {
      const hit = seen.get(key(d))?.pop();
      if (hit) matched.add(hit);
      return hit === undefined;
    });
    left = left.filter((d) => !matched.has(d));
  }
  return fresh;
}

// What test runners print for a failing test and its assertion (vitest, jest, mocha, node:test, tap).
const FAILURE_LINE = /^\s*(FAIL\b|×|✗|✕|not ok\b|\d+\) |AssertionError|Assertion|Error:|\w*Error\b.*:|expected\b|Expected\b|Received\b|- Expected|\+ Received|›.*failed)|is not a function|is not defined|Cannot read propert/;

/** The first lines of a test run's output that name failing tests and their assertion messages. */
export function failureLines(output: string, max = 20): string[] {
  const lines = output.replace(ANSI_SGR, '').split('\n').map((l) => l.trimEnd());
  const hits = lines.filter((l) => FAILURE_LINE.test(l));
  return [...new Set(hits)].slice(0, max);
}

export function compareHealth(before: TreeHealth, after: TreeHealth): Verdict {
  const failures: string[] = [];
  // New errors fail a phase even when the total falls: a phase that fixes 200 errors (say, by
  // bringing a dependency's types into the program) must not hide 50 it introduced.
  const fresh = newTypeErrors(before.typecheck, after.typecheck);
  if (after.typeErrors > before.typeErrors || fresh.length > 0) {
    const shown = fresh.length
      ? `  first new errors:\n${fresh.slice(0, 10).map((d) => `    ${d.file}:${d.line} ${d.code} ${d.message}`).join('\n')}${fresh.length > 10 ? `\n    … and ${fresh.length - 10} more` : ''}`
      : tail(after.typecheck.output);
    const what = after.typeErrors > before.typeErrors
      ? `TypeScript errors rose from ${before.typeErrors} to ${after.typeErrors}`
      : `${fresh.length} new TypeScript error(s), although the total went from ${before.typeErrors} to ${after.typeErrors}`;
    failures.push(`typecheck: ${what} (\`${after.typecheck.command}\`)\n${shown}`);
  }
  const testDetail = (h: TreeHealth, only?: string[]) => {
    const fromReport = [...(h.failureMessages ?? [])].filter(([id]) => !only || only.includes(id)).map(([id, m]) => `${id}: ${m}`);
    const lines = fromReport.length ? fromReport : failureLines(h.test.output);
    return lines.length ? `  first failing tests:\n${lines.slice(0, 20).map((l) => `    ${l.trim()}`).join('\n')}` : tail(h.test.output);
  };
  if (before.test.exitCode === 0) {
    if (after.test.exitCode !== 0) failures.push(`test: \`${after.test.command}\` passed before and fails after (exit ${after.test.exitCode})\n${testDetail(after)}`);
  } else {
    const newlyFailing = [...(before.testCases ?? [])]
      .filter(([id, o]) => o === 'passed' && after.testCases?.get(id) !== 'passed')
      .map(([id]) => id);
    if (!after.testCases) failures.push(`test: the test command wrote no report after the phase\n${tail(after.test.output)}`);
    else if (newlyFailing.length) {
      const messages = newlyFailing.slice(0, 20).map((id) => `  ${id}${after.failureMessages?.get(id) ? `: ${after.failureMessages.get(id)}` : ''}`);
      failures.push(`test: ${newlyFailing.length} test(s) passed before and do not pass after:\n${messages.join('\n')}`);
    }
  }
  // a test command that runs no test (`true`, `echo ok`, `npm test` of such a script) is said as such, not as "pass"
  const noTests = before.noTests === 'always-passes' && after.noTests === 'always-passes';
  const tests = noTests ? `none run (\`${after.test.command}\` runs no tests: checked by the typecheck only)` : `${describeTests(before)} -> ${describeTests(after)}`;
  const summary = `typecheck ${before.typeErrors}->${after.typeErrors} errors; tests ${tests}`;
  return { ok: failures.length === 0, failures, summary };
}

/** Writes both commands' full output for a failed verification into the git dir; returns the path. */
export function writeVerifyLog(repo: string, label: string, h: TreeHealth): string {
  const dir = path.join(gitDirSync(repo), 'ssot-migrate', 'logs');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${label.replace(/[^\w.-]+/g, '_')}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
  const part = (r: CommandResult) => `$ ${r.command}\n(exit ${r.exitCode}, ${r.ms} ms)\n${r.output}\n`;
  writeFileSync(file, `${part(h.typecheck)}\n${part(h.test)}`);
  return file;
}

/** package.json's scripts, to see what `npm test` runs; undefined when there is none or it does not parse. */
function packageScripts(repo: string): Record<string, string> | undefined {
  try {
    const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    return pkg.scripts;
  } catch {
    return undefined;
  }
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
