/**
 * `npm run demo`: the whole phased migration of examples/legacy-app in a scratch git repo,
 * one verified commit per phase (the phases the app's manifest selects, from the registry),
 * on the in-memory default.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { $ } from 'zx';
import { deprecationIds, describeTelemetryVerdict, legacyUse, RepoSnapshot, type RepoFigures } from '../codemods/index.js';
import { threadedChainsIn } from '../codemods/remove-adapters/index.js';
import { legacyModuleIds, moduleFiles } from '../codemods/strangle/index.js';
import { formatDuration } from '../shim/duration.js';
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
 * The phase whose gate reads the deployed service's telemetry: the demo runs a process with every
 * facade loaded for a short window before it, as a team waits out a real one.
 */
export const WINDOW_PHASE = 'remove-shim';

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

/** Where the demo's processes write their shim telemetry (strangle gitignores it). */
export const DEMO_TELEMETRY = '.ssot/telemetry';
/** The window remove-shim's gate judges in the demo: short, so the demo does not wait long. */
export const DEMO_WINDOW_MS = 8000;

export interface ObservedService {
  /** The ids the process had installed (its facades loaded). */
  ids: string[];
  pid: number;
  /** SIGTERM, as a container stop: the shim writes its last lines (a final coverage line) and the process ends. */
  stop(): Promise<void>;
}

/**
 * The service as deployed before remove-shim: its build still ships every strangled facade, so
 * anything that reaches them at run time (a dynamic import, a name looked up by DI, another
 * service calling this one's exports) would be recorded. This starts a real process in the repo
 * that loads every facade under the shim — installing their deprecation ids — and keeps
 * running, writing coverage to `.ssot/telemetry` every second, so that once `windowMs` has passed
 * the gate has genuine evidence: the ids were loaded the whole window and nothing called them.
 * The caller runs the gate while it is up and then calls `stop()`.
 */
export async function startObservedService(repo: string, windowMs = DEMO_WINDOW_MS): Promise<ObservedService> {
  const snapshot = await RepoSnapshot.open(repo);
  const facades = [...moduleFiles(legacyModuleIds(snapshot.manifest), snapshot.repoFiles).values()].map((f) => pathToFileURL(path.join(repo, f)).href);
  if (facades.length === 0) throw new Error('no strangled facade left to observe');
  mkdirSync(path.join(repo, DEMO_TELEMETRY), { recursive: true });
  const version = (await $({ cwd: repo, quiet: true })`git rev-parse --short HEAD`).stdout.trim();
  const code = [
    `for (const f of ${JSON.stringify(facades)}) await import(f);`,
    `const { installedIds } = await import('ssot-migrate/shim');`,
    `console.log('installed ' + installedIds().join(','));`,
    `setInterval(() => {}, 1 << 30);`,
  ].join('\n');
  const child = spawn(process.execPath, ['--no-deprecation', '--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      SSOT_SHIM: '',
      SSOT_SHIM_TELEMETRY: path.join(repo, DEMO_TELEMETRY, 'service-window.jsonl'),
      SSOT_SHIM_TELEMETRY_INTERVAL_MS: '250',
      SSOT_SHIM_COVERAGE_INTERVAL_MS: '1000',
      SSOT_SHIM_SERVICE: 'legacy-app',
      SSOT_SHIM_VERSION: version,
      NODE_OPTIONS: '',
    },
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ids = await new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the observed service did not start within 120 s: ${output}`)), 120_000);
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      const m = /installed (.*)\n/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.split(',').filter(Boolean));
      }
    });
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the observed service exited: ${output}`));
    });
  });
  // the window must lie wholly inside the time it was up (with one coverage interval to spare)
  await new Promise((r) => setTimeout(r, windowMs + 1500));
  return {
    ids,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Deprecation ids the loaded facades never installed: the shim has no entry point for them to observe. */
export function unobservableIds(snapshot: RepoSnapshot, installed: readonly string[]): string[] {
  return [...new Set(deprecationIds(snapshot.manifest))].filter((id) => !installed.includes(id)).sort();
}

/**
 * remove-shim's options for the observed window: the telemetry and the window, and for the ids
 * no process could install (their facades have no shimmed entry point) the reason, stated.
 */
export async function observedGateOptions(repo: string, service: ObservedService, windowMs = DEMO_WINDOW_MS): Promise<{ options: Record<string, unknown>; blind: string[] }> {
  const blind = unobservableIds(await RepoSnapshot.open(repo), service.ids);
  const options: Record<string, unknown> = { telemetry: [DEMO_TELEMETRY], window: windowMs };
  if (blind.length) options.withoutTelemetry = `${blind.join(', ')}: no shimmed entry point of their own (their facades export types, unwrapped values, or entries counted under another id), so no process can report them called; no import of them is left`;
  return { options, blind };
}

/** The demo's lines for the window's evidence: what each id's verdict is and the coverage behind it. */
async function windowVerdicts(repo: string, windowMs: number): Promise<string[]> {
  const use = await legacyUse(await RepoSnapshot.open(repo), { telemetry: [DEMO_TELEMETRY], windowMs });
  const t = use.telemetry!;
  const counts = new Map<string, number>();
  for (const v of t.verdicts) counts.set(v.verdict, (counts.get(v.verdict) ?? 0) + 1);
  const lines = [`  telemetry verdicts over the last ${formatDuration(windowMs)} (${t.source}): ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}`];
  for (const v of t.verdicts.slice(0, 3)) lines.push(`    ${v.id} ${describeTelemetryVerdict(v, windowMs)}`);
  if (t.verdicts.length > 3) lines.push(`    … ${t.verdicts.length - 3} more`);
  return lines;
}

/** What remove-adapters' commit says it threaded (its subject is the record; 0 when it threaded none). */
async function threadedChains(repo: string, outcomes: readonly PhaseOutcome[]): Promise<number> {
  const commit = outcomes.find((o) => o.phase === 'remove-adapters' && o.status === 'committed')?.commit;
  if (!commit) return 0;
  const subject = (await $({ cwd: repo, quiet: true })`git log -1 ${'--format=%s'} ${commit}`).stdout;
  return threadedChainsIn(subject);
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
    let service: ObservedService | undefined;
    let phaseOptions: Record<string, unknown> | undefined;
    if (phase === WINDOW_PHASE) {
      out(`\n== the window remove-shim's gate reads`);
      out(`  no static import is left, but the build still ships the facades: anything reaching them at run time`);
      out(`  would show in the telemetry. A process loads every facade under the shim, as the deployed service`);
      out(`  would, and records coverage while a ${formatDuration(DEMO_WINDOW_MS)} window passes (a real team waits 30d).`);
      try {
        service = await startObservedService(repo, DEMO_WINDOW_MS);
      } catch (err) {
        out(`  could not start it: ${err instanceof Error ? err.message : String(err)}`);
        exitCode = 1;
        break;
      }
      out(`  pid ${service.pid} up with ${service.ids.length} deprecation id(s) installed, writing ${DEMO_TELEMETRY}/service-window.jsonl`);
      for (const l of await windowVerdicts(repo, DEMO_WINDOW_MS)) out(l);
      const gate = await observedGateOptions(repo, service);
      phaseOptions = gate.options;
      const blind = gate.blind;
      if (blind.length) {
        // The telemetry cannot judge these, so the gate says unknown for them; a stated reason is recorded instead.
        out(`  ${blind.join(', ')} stay unknown: no shimmed entry point of their own, so nothing at run time can`);
        out(`  report them. The gate accepts those on a stated reason (--without-telemetry beside --telemetry), kept in the commit.`);
      }
    }
    const t0 = Date.now();
    out(`\n== phase ${phase}: ${description}`);
    let o: PhaseOutcome;
    try {
      o = await runPhase(repo, phase, { log: (l) => out(`  … ${l}`), ...(phaseOptions ? { options: phaseOptions } : {}) });
    } finally {
      await service?.stop();
    }
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
  out(`call chains threaded with a context by remove-adapters: ${await threadedChains(repo, outcomes)}`);
  const after = await isolation(repo);
  out(`concurrency test now: ${after.line}`);
  const log = await $({ cwd: repo, quiet: true })`git log --oneline`;
  out('\ngit log --oneline:');
  for (const l of log.stdout.trimEnd().split('\n')) out(`  ${l}`);
  out(`\nthe scratch repo stays for inspection: ${repo}`);
  out(`  review a phase:      node bin/ssot-migrate.js review rewrite-imports --repo ${repo} --html review.html`);
  out(`  see the telemetry:   node bin/ssot-migrate.js dashboard --telemetry ${path.join(repo, '.ssot', 'telemetry')} --repo ${repo} --port 0`);
  out(`  the gate's evidence: node bin/ssot-migrate.js review remove-shim --repo ${repo}`);
  return { exitCode, repo, outcomes };
}
