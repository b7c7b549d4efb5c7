/**
 * One phase, one verified commit: preflight → plan → baseline → apply → verify → commit,
 * or restore every touched byte and say which step failed.
 */
import { createHash } from 'node:crypto';
import { PHASES, type PhaseName, type SsotManifest } from '../../manifest/types.js';
import { loadManifest } from '../../manifest/index.js';
import { applyWrites } from './apply.js';
import { commitPaths, dirtyPaths, head, isGitRepo } from './git.js';
import { loadHealth, saveHealth } from './health-cache.js';
import { committedPhases } from './ledger.js';
import { planDiff } from './patch.js';
import type { PhasePlan, ReviewItem } from './plan.js';
import { defaultToolkit, type PhaseToolkit } from './planners.js';
import { baselineProblem, compareHealth, measureHealth, type TreeHealth, type Verdict } from './verify.js';

export type PhaseStatus = 'committed' | 'nothing-to-do' | 'dry-run' | 'refused' | 'failed' | 'not-built';

export interface PhaseOutcome {
  phase: PhaseName;
  status: PhaseStatus;
  /** The step that refused or failed: preflight | gate | transform | baseline | verify | commit. */
  step?: string;
  reason?: string;
  commit?: string;
  files?: number;
  edits?: number;
  compliance?: { before: number; after: number };
  verification?: Verdict;
  needsReview?: ReviewItem[];
  problems?: ReviewItem[];
  diff?: string;
}

export interface RunOptions {
  dryRun?: boolean;
  allowDirty?: boolean;
  log?: (line: string) => void;
  /** Which transforms and figures to use; the codemods by default. */
  toolkit?: PhaseToolkit;
}

export function verifyKey(m: SsotManifest): string {
  return createHash('sha1').update(`${m.verify.typecheck}\0${m.verify.test}\0${m.verify.testReport ?? ''}`).digest('hex').slice(0, 12);
}

/** The phases the manifest selects before `phase`, in order. */
function earlierPhases(manifest: SsotManifest, phase: PhaseName): PhaseName[] {
  return manifest.phases.filter((p) => PHASES.indexOf(p) < PHASES.indexOf(phase));
}

export async function preflight(
  repo: string,
  phase: PhaseName,
  opts: RunOptions,
): Promise<{ manifest: SsotManifest } | PhaseOutcome> {
  const refuse = (step: string, reason: string, status: PhaseStatus = 'refused'): PhaseOutcome => ({ phase, status, step, reason });
  if (!(await isGitRepo(repo))) return refuse('preflight', `${repo} is not a git work tree`);
  let manifest: SsotManifest;
  try {
    manifest = await loadManifest(repo);
  } catch (err) {
    return refuse('preflight', err instanceof Error ? err.message : String(err));
  }
  if (!manifest.phases.includes(phase)) return refuse('preflight', `phase ${phase} is not selected by the manifest's "phases" (${manifest.phases.join(', ')})`);
  const done = await committedPhases(repo);
  const prior = done.get(phase);
  if (prior) return { phase, status: 'nothing-to-do', reason: `already committed in ${prior.commit.sha.slice(0, 10)} (${prior.commit.subject})`, commit: prior.commit.sha };
  const missing = earlierPhases(manifest, phase).filter((p) => !done.has(p));
  if (missing.length) return refuse('gate', `earlier phase(s) not committed yet: ${missing.join(', ')} — run them first (or \`run --all\`)`);
  if (!opts.allowDirty && !opts.dryRun) {
    const dirty = await dirtyPaths(repo, manifest.verify.testReport ? [manifest.verify.testReport] : []);
    if (dirty.length) return refuse('preflight', `the work tree has uncommitted changes (${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', …' : ''}); commit or stash them, or pass --allow-dirty`);
  }
  if (!(opts.toolkit ?? defaultToolkit).planners[phase]) return refuse('transform', `phase ${phase} is not built yet in this version of ssot-migrate`, 'not-built');
  return { manifest };
}

/** The tree's health, from the cache when the tree is clean and HEAD was measured before. */
export async function baselineHealth(repo: string, manifest: SsotManifest, clean: boolean): Promise<TreeHealth> {
  const sha = await head(repo);
  const key = verifyKey(manifest);
  if (clean && sha) {
    const cached = await loadHealth(repo, sha, key);
    if (cached) return cached;
  }
  const h = await measureHealth(repo, manifest.verify);
  if (clean && sha) await saveHealth(repo, sha, key, h);
  return h;
}

export function commitMessage(plan: PhasePlan, figures: { files: number; before: number; after: number }, verdict: Verdict): string {
  const body: string[] = [];
  if (plan.needsReview.length) {
    body.push(`Needs review (${plan.needsReview.length}):`, ...plan.needsReview.map((r) => `- ${r.file}:${r.line} ${r.message}`), '');
  }
  if (plan.problems.length) {
    body.push(`Left untouched (${plan.problems.length}):`, ...plan.problems.map((r) => `- ${r.file}:${r.line} ${r.message}`), '');
  }
  body.push(`Verified: ${verdict.summary}`);
  const trailers = [
    `SSOT-Phase: ${plan.phase}`,
    `SSOT-Files: ${figures.files}`,
    `SSOT-Edits: ${plan.edits}`,
    `SSOT-Compliance: ${figures.before.toFixed(1)}->${figures.after.toFixed(1)}`,
    `SSOT-Needs-Review: ${plan.needsReview.length}`,
  ];
  return `ssot(${plan.phase}): ${plan.summary}\n\n${body.join('\n')}\n\n${trailers.join('\n')}\n`;
}

export async function runPhase(repo: string, phase: PhaseName, opts: RunOptions = {}): Promise<PhaseOutcome> {
  const log = opts.log ?? (() => {});
  const pre = await preflight(repo, phase, opts);
  if ('status' in pre) return pre;
  const { manifest } = pre;
  const toolkit = opts.toolkit ?? defaultToolkit;
  const figures = toolkit.figures;
  const before = (await figures(repo, manifest)).compliance;

  log(`${phase}: planning`);
  let plan: PhasePlan;
  try {
    plan = await toolkit.planners[phase]!(repo, manifest);
  } catch (err) {
    return { phase, status: 'failed', step: 'transform', reason: err instanceof Error ? err.stack ?? err.message : String(err) };
  }
  const base: PhaseOutcome = { phase, status: 'refused', files: plan.writes.length, edits: plan.edits, needsReview: plan.needsReview, problems: plan.problems };
  if (plan.refusal) return { ...base, step: 'gate', reason: plan.refusal };
  if (opts.dryRun) return { ...base, status: 'dry-run', diff: planDiff(repo, plan.writes) };
  if (plan.writes.length === 0) {
    // Recorded all the same (an empty commit), so the next phase's gate sees this one done.
    const verdict: Verdict = { ok: true, failures: [], summary: 'no files changed; nothing to verify' };
    const sha = await commitPaths(repo, [], commitMessage(plan, { files: 0, before, after: before }, verdict));
    return { ...base, status: 'committed', commit: sha, compliance: { before, after: before }, verification: verdict, reason: 'the transform found nothing to change' };
  }

  const clean = (await dirtyPaths(repo, manifest.verify.testReport ? [manifest.verify.testReport] : [])).length === 0;
  log(`${phase}: measuring the baseline (${manifest.verify.typecheck}; ${manifest.verify.test})`);
  const baseline = await baselineHealth(repo, manifest, clean);
  const problem = baselineProblem(baseline, manifest.verify);
  if (problem) return { ...base, step: 'baseline', reason: problem };

  log(`${phase}: applying ${plan.writes.length} file(s), ${plan.edits} edit(s)`);
  const applied = applyWrites(repo, plan.writes);
  let verdict: Verdict;
  let afterHealth: TreeHealth;
  try {
    log(`${phase}: verifying`);
    afterHealth = await measureHealth(repo, manifest.verify);
    verdict = compareHealth(baseline, afterHealth);
  } catch (err) {
    applied.restore();
    return { ...base, status: 'failed', step: 'verify', reason: err instanceof Error ? err.message : String(err) };
  }
  if (!verdict.ok) {
    applied.restore();
    return { ...base, status: 'failed', step: 'verify', reason: verdict.failures.join('\n'), verification: verdict };
  }
  const after = (await figures(repo, manifest)).compliance;
  try {
    const sha = await commitPaths(repo, applied.paths, commitMessage(plan, { files: plan.writes.length, before, after }, verdict));
    // The committed tree is the one just verified: the next phase's baseline is already known.
    if (clean) await saveHealth(repo, sha, verifyKey(manifest), afterHealth);
    return { ...base, status: 'committed', commit: sha, compliance: { before, after }, verification: verdict };
  } catch (err) {
    applied.restore();
    return { ...base, status: 'failed', step: 'commit', reason: err instanceof Error ? err.message : String(err) };
  }
}

/** Runs the remaining selected phases in order, one commit each, stopping at the first failure. */
export async function runAll(repo: string, opts: RunOptions = {}): Promise<PhaseOutcome[]> {
  const outcomes: PhaseOutcome[] = [];
  let manifest: SsotManifest;
  try {
    manifest = await loadManifest(repo);
  } catch (err) {
    return [{ phase: 'discover', status: 'refused', step: 'preflight', reason: err instanceof Error ? err.message : String(err) }];
  }
  const done = await committedPhases(repo);
  for (const phase of manifest.phases.filter((p) => !done.has(p))) {
    const o = await runPhase(repo, phase, opts);
    outcomes.push(o);
    if (o.status !== 'committed' && o.status !== 'nothing-to-do') break;
  }
  return outcomes;
}
