/**
 * `npm run demo`: the whole phased migration of examples/legacy-app in a scratch git repo,
 * one verified commit per phase (the phases the app's manifest selects, from the registry),
 * on the in-memory default.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { $ } from 'zx';
import { RepoSnapshot, type RepoFigures } from '../codemods/index.js';
import { buildTelemetryReport, formatTelemetryReport } from '../shim/index.js';
import { PACKAGE_ROOT } from './package-root.js';
import { runPhase, type PhaseOutcome } from './runner/index.js';

export const TOOLKIT_ROOT = PACKAGE_ROOT;
const APP = path.join(TOOLKIT_ROOT, 'examples', 'legacy-app');

/**
 * Copies the legacy app into a fresh git repo, runnable with the toolkit's tools. The copy
 * imports `ssot-migrate/*` through the package's exports, i.e. the built dist/, as an
 * installed package would: dist/ is (re)built first when a source is newer.
 */
export async function makeScratchRepo(into?: string): Promise<string> {
  await $({ cwd: TOOLKIT_ROOT, quiet: true })`${process.execPath} scripts/build.mjs --if-stale`;
  const repo = into ?? mkdtempSync(path.join(os.tmpdir(), 'ssot-demo-'));
  cpSync(APP, repo, {
    recursive: true,
    filter: (src) => !/[/\\](node_modules|reports)([/\\]|$)/.test(path.relative(APP, src) ? `/${path.relative(APP, src)}` : ''),
  });
  const sh = $({ cwd: repo, quiet: true });
  await sh`bash link-toolkit.sh ${TOOLKIT_ROOT}`;
  await sh`git init -q -b main`;
  await sh`git config user.email demo@ssot-migrate.invalid`;
  await sh`git config user.name ssot-migrate-demo`;
  await sh`git config core.autocrlf false`;
  await sh`git add -A`;
  await sh`git commit -qm ${'legacy-app: the fragmented backend before migration'}`;
  return repo;
}

/**
 * The humans' part of the migration, kept in the app as a patch: what the tool refuses to
 * guess. remove-adapters leaves a TODO(ssot) where no UserExecutionContext is in scope and
 * withdraws rewrites that would break legacy-only calls (connectUser, broadcast,
 * getFailedMessages, getStats…); a team fixes those sites by hand in an ordinary commit, and
 * only then does remove-shim's gate open. Applied at that point in the sequence.
 */
export const MANUAL_FIXES = 'migration/manual-fixes.patch';
export const MANUAL_FIXES_BEFORE = 'remove-shim';
export const MANUAL_FIXES_SUBJECT = 'manual: thread UserExecutionContext into the no-context call sites, replace legacy-only calls, move AgentRegistry out of the legacy module';

/** Applies the manual-fix patch as one ordinary commit; returns its sha and the files it touched. */
export async function applyManualFixes(repo: string): Promise<{ commit: string; files: Array<{ path: string; added: number; removed: number }> }> {
  const sh = $({ cwd: repo, quiet: true });
  const stat = (await sh`git apply --numstat ${MANUAL_FIXES}`).stdout.trim().split('\n').filter(Boolean);
  await sh`git apply --index ${MANUAL_FIXES}`;
  await sh`git commit -qm ${MANUAL_FIXES_SUBJECT}`;
  const commit = (await sh`git rev-parse HEAD`).stdout.trim();
  const files = stat.map((l) => {
    const [a, r, path] = l.split('\t');
    return { path: path ?? '', added: Number(a), removed: Number(r) };
  });
  return { commit, files };
}

async function isolation(repo: string): Promise<{ ok: boolean; line: string }> {
  const r = await $({ cwd: repo, quiet: true, nothrow: true })`npm run --silent test:isolation`;
  const line = (r.stdout + r.stderr).split('\n').find((l) => l.startsWith('isolation:')) ?? `exit ${r.exitCode}`;
  return { ok: r.exitCode === 0, line };
}

async function describe(o: PhaseOutcome, repo: string): Promise<string[]> {
  const lines: string[] = [];
  if (o.status === 'committed' && o.commit) {
    const subject = (await $({ cwd: repo, quiet: true })`git log -1 ${'--format=%h %s'} ${o.commit}`).stdout.trim();
    lines.push(`  commit ${subject}`);
    lines.push(`  ${o.files ?? 0} file(s), ${o.edits ?? 0} edit(s), compliance ${o.compliance?.before.toFixed(1)}% -> ${o.compliance?.after.toFixed(1)}%`);
    if (o.verification) lines.push(`  verified: ${o.verification.summary}`);
    if (o.needsReview?.length) {
      lines.push(`  needs review: ${o.needsReview.length} item(s)`);
      for (const r of o.needsReview) lines.push(`    ${r.file}:${r.line} ${r.message.length > 150 ? `${r.message.slice(0, 147)}…` : r.message}`);
    }
    if (o.problems?.length) lines.push(`  left untouched: ${o.problems.length} file(s), e.g. ${o.problems[0]!.file}:${o.problems[0]!.line} ${o.problems[0]!.message}`);
  } else {
    lines.push(`  ${o.status}${o.step ? ` at ${o.step}` : ''}: ${o.reason ?? ''}`);
  }
  return lines;
}

/**
 * Right after strangle the legacy entry points are shim facades: the unchanged app's concurrency
 * test passes (the legacy factory now hands out per-user managers), and the shim records who
 * still calls what — the telemetry a team watches until it is safe to delete.
 */
async function underTheShim(repo: string): Promise<string[]> {
  const dir = path.join(repo, '.ssot', 'telemetry');
  const r = await $({ cwd: repo, quiet: true, nothrow: true, env: { ...process.env, SSOT_SHIM_TELEMETRY: path.join(dir, 'demo-isolation.jsonl') } })`npm run --silent test:isolation`;
  const line = (r.stdout + r.stderr).split('\n').find((l) => l.startsWith('isolation:')) ?? `exit ${r.exitCode}`;
  const lines = [`  the unchanged app now runs through the shim: ${line}`];
  const report = await buildTelemetryReport([dir]);
  lines.push(...formatTelemetryReport(report, repo).trimEnd().split('\n').map((l) => `    ${l}`));
  return lines;
}

export interface DemoOptions {
  out?: (line: string) => void;
  dir?: string;
}

export async function runDemo(opts: DemoOptions = {}): Promise<{ exitCode: number; repo: string; outcomes: PhaseOutcome[] }> {
  const out = opts.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  out('ssot-migrate demo: migrating examples/legacy-app, one verified commit per phase');
  const repo = await makeScratchRepo(opts.dir);
  out(`scratch repo: ${repo}`);
  const snapshot = await RepoSnapshot.open(repo);
  const sites = (f: RepoFigures) => Object.values(f.legacySitesByFile).reduce((a, b) => a + b, 0);
  const start = await snapshot.figures();
  out(`compliance before: ${start.compliance.toFixed(1)}%, legacy import sites: ${sites(start)}`);
  const before = await isolation(repo);
  out(`concurrency test on the legacy code: ${before.line}`);

  const outcomes: PhaseOutcome[] = [];
  let exitCode = 0;
  for (const { phase: { name: phase, description } } of snapshot.phases.selected) {
    if (phase === MANUAL_FIXES_BEFORE) {
      out(`\n== manual fixes (the humans' part, not the tool's)`);
      out(`  the tool never guesses: the TODO(ssot) sites above have no UserExecutionContext in scope, and some calls`);
      out(`  (connectUser, broadcast, getStats, getFailedMessages, getConnectionCount) have no canonical equivalent.`);
      out(`  A team fixes them by hand in an ordinary commit; here that commit is ${MANUAL_FIXES}:`);
      let m: Awaited<ReturnType<typeof applyManualFixes>>;
      try {
        m = await applyManualFixes(repo);
      } catch (err) {
        out(`  the patch does not apply to what the tool produced: ${err instanceof Error ? err.message : String(err)}`);
        exitCode = 1;
        break;
      }
      for (const f of m.files) out(`    ${f.path} (+${f.added} -${f.removed})`);
      const subject = (await $({ cwd: repo, quiet: true })`git log -1 ${'--format=%h %s'}`).stdout.trim();
      out(`  commit ${subject}`);
      out(`  ${m.files.length} file(s), +${m.files.reduce((n, f) => n + f.added, 0)} -${m.files.reduce((n, f) => n + f.removed, 0)} line(s); remove-shim verifies the tree next`);
    }
    const t0 = Date.now();
    out(`\n== phase ${phase}: ${description}`);
    const o = await runPhase(repo, phase, { log: (l) => out(`  … ${l}`) });
    outcomes.push(o);
    for (const l of await describe(o, repo)) out(l);
    out(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    if (phase === 'strangle' && o.status === 'committed') for (const l of await underTheShim(repo)) out(l);
    if (o.status !== 'committed' && o.status !== 'nothing-to-do') {
      exitCode = 1;
      break;
    }
  }

  out('\n== result');
  const end = await (await RepoSnapshot.open(repo)).figures();
  out(`compliance after: ${end.compliance.toFixed(1)}%, legacy import sites left: ${sites(end)}`);
  const after = await isolation(repo);
  out(`concurrency test now: ${after.line}`);
  const log = await $({ cwd: repo, quiet: true })`git log --oneline`;
  out('\ngit log --oneline:');
  for (const l of log.stdout.trimEnd().split('\n')) out(`  ${l}`);
  out(`\nthe scratch repo stays for inspection: ${repo}`);
  out(`  review a phase:      node bin/ssot-migrate.js review rewrite-imports --repo ${repo} --html review.html`);
  out(`  see the telemetry:   node bin/ssot-migrate.js dashboard --telemetry ${path.join(repo, '.ssot', 'telemetry')} --repo ${repo} --port 0`);
  return { exitCode, repo, outcomes };
}
