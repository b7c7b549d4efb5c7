/**
 * The end-to-end tests' one way to take a committed test repo through every phase: `run --all`,
 * then — as the app never ran under the shim — remove-shim once more on a stated reason when
 * `run --all` stopped at its telemetry gate. Keeps the facade strangle committed, and checks
 * each phase the same way (committed, verified, with the app's own figures).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { BUILTIN_PHASES } from '../../codemods/index.js';
import { loadManifest } from '../../manifest/index.js';
import { healthKey, loadHealth } from '../../scripts/runner/health-cache.js';
import { runAll, runPhase, type PhaseOutcome } from '../../scripts/runner/index.js';
import { git } from './git-repo.js';

export interface PhasedMigration {
  /** What `run --all` returned, one outcome per built-in phase. */
  readonly outcomes: PhaseOutcome[];
  /** remove-shim run again without telemetry, when `run --all` stopped at its gate. */
  readonly shim: PhaseOutcome | undefined;
  /** The legacy module as strangle's commit left it (the facade), or '' when not asked for or not committed. */
  readonly facade: string;
  /** A phase's final outcome (remove-shim's second run when there was one); `skipped` when absent. */
  byPhase(name: string): PhaseOutcome;
}

export interface MigrateOptions {
  /** Why remove-shim may delete without telemetry (recorded in its commit). */
  readonly withoutTelemetry: string;
  /** The legacy module's repo-relative path, to read the facade at strangle's commit. */
  readonly facadeFile?: string;
}

export async function migrateEveryPhase(repo: string, options: MigrateOptions): Promise<PhasedMigration> {
  const outcomes = await runAll(repo);
  let facade = '';
  if (options.facadeFile) {
    const strangle = git(repo, 'log', '--format=%H', '--grep', '^ssot(strangle)').trim();
    if (strangle) facade = git(repo, 'show', `${strangle}:${options.facadeFile}`);
  }
  const first = (name: string): PhaseOutcome | undefined => outcomes.find((o) => o.phase === name);
  const shim = first('remove-shim')?.step === 'gate' ? await runPhase(repo, 'remove-shim', { options: { withoutTelemetry: options.withoutTelemetry } }) : undefined;
  return {
    outcomes,
    shim,
    facade,
    byPhase: (name) => (name === 'remove-shim' && shim ? shim : first(name)) ?? { phase: name, status: 'skipped' as PhaseOutcome['status'] },
  };
}

const NOTHING_TO_VERIFY = 'no files changed; nothing to verify';

/** Every built-in phase committed and verified, each verification reading `verified` (a phase that changed nothing has nothing to verify). */
export function expectEveryPhaseCommitted(m: PhasedMigration, verified: RegExp): void {
  expect(m.outcomes.map((o) => o.phase)).toEqual(BUILTIN_PHASES.map((p) => p.name));
  for (const { name } of BUILTIN_PHASES) {
    const o = m.byPhase(name);
    expect(o.status, `${name}: ${o.step ?? ''} ${o.reason ?? ''}`).toBe('committed');
    expect(o.verification?.ok, name).toBe(true);
    if (o.verification?.summary !== NOTHING_TO_VERIFY) expect(o.verification?.summary, name).toMatch(verified);
  }
}

/**
 * remove-shim's end state: 100% compliance, the legacy module and its frozen body gone, exactly
 * `remaining` tracked under src/ and test/, and no `TODO(ssot)` left in any of them.
 */
export function expectLegacyRemoved(m: PhasedMigration, repo: string, legacyFile: string, remaining: readonly string[]): void {
  expect(m.byPhase('remove-shim').compliance?.after).toBe(100);
  for (const gone of [legacyFile, legacyFile.replace(/(\.[cm]?[jt]s)$/, '.legacy$1')]) expect(existsSync(path.join(repo, gone)), gone).toBe(false);
  const tracked = git(repo, 'ls-files', '--', 'src', 'test').trim().split('\n');
  expect(tracked.sort()).toEqual([...remaining].sort());
  expect(tracked.filter((f) => readFileSync(path.join(repo, f), 'utf8').includes('TODO(ssot)'))).toEqual([]);
}

/**
 * The app's own typecheck and tests on what is committed: HEAD's tree as the runner measured it to verify the
 * phase that committed it — the figures it keeps for that tree (health-cache.ts: keyed by the tree, the
 * verify commands and the install), read back instead of running the same commands on the same tree again
 * (~3-7 CPU-s a migration). The tree is clean (nothing edited since), both commands exited 0, no type error,
 * and every test the report lists passed (exactly `passed` of them, when given).
 */
export async function expectCommittedTreeVerified(repo: string, passed?: number): Promise<void> {
  expect(git(repo, 'status', '--porcelain')).toBe('');
  const tree = git(repo, 'rev-parse', 'HEAD^{tree}').trim();
  const h = await loadHealth(repo, tree, healthKey(repo, await loadManifest(repo)));
  expect(h, `no verification recorded for HEAD's tree ${tree}`).toBeDefined();
  expect([h!.typecheck.exitCode, h!.typeErrors], h!.typecheck.output).toEqual([0, 0]);
  expect(h!.test.exitCode, h!.test.output).toBe(0);
  expect(h!.noTests).toBeUndefined();
  if (h!.testCases) expect([...h!.testCases.values()].filter((o) => o !== 'passed' && o !== 'skipped')).toEqual([]);
  // `passed`: how many tests the report lists as passed (a JUnit report, verify.testReport)
  if (passed !== undefined) expect([...(h!.testCases ?? new Map()).values()].filter((o) => o === 'passed')).toHaveLength(passed);
}
