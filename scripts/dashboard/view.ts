/**
 * What the page shows, computed in one place (the page only renders it): per deprecation id
 * the counts, call sites, chart, current mode and the "safe to delete?" verdict.
 */
import type { ShimMode } from '../../shim/modes.js';
import type { SiteSummary } from '../../shim/telemetry-report.js';
import type { FlipEntry, ModeController } from './flips.js';
import type { ImportHit } from './imports.js';
import type { SeriesView, TelemetryStore } from './store.js';

export type CheckStatus = 'pass' | 'fail' | 'skipped';

export interface VerdictCheck {
  name: 'imports' | 'calls' | 'strict';
  status: CheckStatus;
  detail: string;
}

export interface Verdict {
  safe: boolean;
  checks: VerdictCheck[];
}

export interface SiteView {
  label: string;
  file?: string;
  line?: number;
  col?: number;
  function?: string;
  calls: number;
  methodCalls: number;
  firstSeen: string;
  lastSeen: string;
}

export interface IdView {
  id: string;
  symbols: string[];
  calls: number;
  methodCalls: number;
  usesInWindow: number;
  distinctSites: number;
  overflowCalls: number;
  processes: number;
  firstSeen?: string;
  lastSeen?: string;
  mode: ShimMode;
  modeSince: string;
  /** Entry-point uses per mode the calls were made in. */
  modesSeen: Partial<Record<ShimMode, number>>;
  sites: SiteView[];
  series: SeriesView;
  verdict: Verdict;
}

export interface DashboardView {
  generatedAt: string;
  windowMs: number;
  windowStart: string;
  source: { live: boolean; files: string[]; lines: number; skipped: number };
  toggles: { path: string; error?: string };
  repo?: { path: string; error?: string };
  flipsEnabled: boolean;
  ids: IdView[];
  /** Newest first. */
  flips: FlipEntry[];
}

export interface ViewInputs {
  store: TelemetryStore;
  modes: ModeController;
  /** Undefined without --repo. */
  imports?: Map<string, ImportHit[]>;
  importsError?: string;
  repo?: string;
  manifestIds: string[];
  live: boolean;
  files: string[];
  skipped: number;
  flipsEnabled: boolean;
  now: number;
}

const MAX_SITES = 200;

function siteView(s: SiteSummary, cwd: string): SiteView {
  const file = s.file && s.file.startsWith(cwd + '/') ? s.file.slice(cwd.length + 1) : s.file;
  const label = s.overflow ? '(past the site cap)' : file ? `${file}:${s.line ?? 0}:${s.col ?? 0}` : '(unknown site)';
  const v: SiteView = { label, calls: s.calls, methodCalls: s.methodCalls, firstSeen: s.firstSeen, lastSeen: s.lastSeen };
  if (file) v.file = file;
  if (s.line !== undefined) v.line = s.line;
  if (s.col !== undefined) v.col = s.col;
  if (s.function) v.function = s.function;
  return v;
}

export function verdictFor(id: string, usesInWindow: number, lastSeen: string | undefined, input: ViewInputs, windowLabel: string): Verdict {
  const checks: VerdictCheck[] = [];
  if (input.importsError) checks.push({ name: 'imports', status: 'fail', detail: `could not scan the repo: ${input.importsError}` });
  else if (!input.imports) checks.push({ name: 'imports', status: 'skipped', detail: 'not checked (start with --repo DIR)' });
  else {
    const hits = input.imports.get(id);
    if (!hits) checks.push({ name: 'imports', status: 'skipped', detail: 'id not in the repo’s ssot.config.json' });
    else if (hits.length === 0) checks.push({ name: 'imports', status: 'pass', detail: 'no import of it left in the repo' });
    else {
      const shown = hits.slice(0, 3).map((h) => `${h.file}:${h.line}`).join(', ');
      checks.push({ name: 'imports', status: 'fail', detail: `${hits.length} import(s) left: ${shown}${hits.length > 3 ? ', …' : ''}` });
    }
  }
  checks.push(
    usesInWindow === 0
      ? { name: 'calls', status: 'pass', detail: `zero calls in the last ${windowLabel}` }
      : { name: 'calls', status: 'fail', detail: `${usesInWindow} call(s) in the last ${windowLabel}, last at ${lastSeen ?? '?'}` },
  );
  const mode = input.modes.mode(id);
  if (mode !== 'strict') checks.push({ name: 'strict', status: 'fail', detail: `mode is ${mode}: run it in strict mode first to prove nothing calls it` });
  else {
    const since = input.modes.modeSince(id);
    const errors = input.store.strictUsesSince(id, since);
    checks.push(
      errors.calls === 0
        ? { name: 'strict', status: 'pass', detail: `strict since ${new Date(since).toISOString()}, no errors` }
        : { name: 'strict', status: 'fail', detail: `strict since ${new Date(since).toISOString()}: ${errors.calls} call(s) threw, last at ${errors.last}` },
    );
  }
  return { safe: checks.every((c) => c.status !== 'fail'), checks };
}

export function buildView(input: ViewInputs, windowLabel: string, cwd = process.cwd()): DashboardView {
  const { store, modes, now } = input;
  const windowStart = now - store.windowMs;
  store.prune(now);
  const summaries = new Map(store.summaries().map((s) => [s.id, s]));
  const ids = new Set<string>([...summaries.keys(), ...input.manifestIds, ...modes.namedIds()]);
  // The chart spans the window, or less when all use is recent (so a fresh run is not one sliver).
  const first = store.firstUseSince(windowStart);
  const chartFrom = Math.max(windowStart, Math.min(first ?? now, now - 60_000) - store.fineMs);
  const views: IdView[] = [...ids].sort().map((id) => {
    const s = summaries.get(id);
    const usesInWindow = store.usesSince(id, windowStart);
    const view: IdView = {
      id,
      symbols: s?.symbols ?? [],
      calls: s?.calls ?? 0,
      methodCalls: s?.methodCalls ?? 0,
      usesInWindow,
      distinctSites: s?.distinctSites ?? 0,
      overflowCalls: s?.overflowCalls ?? 0,
      processes: s?.processes ?? 0,
      mode: modes.mode(id),
      modeSince: new Date(modes.modeSince(id)).toISOString(),
      modesSeen: s?.modes ?? {},
      sites: (s?.topSites ?? []).slice(0, MAX_SITES).map((x) => siteView(x, cwd)),
      series: store.chart(id, chartFrom, now),
      verdict: verdictFor(id, usesInWindow, s?.lastSeen, input, windowLabel),
    };
    if (s) {
      view.firstSeen = s.firstSeen;
      view.lastSeen = s.lastSeen;
    }
    return view;
  });
  const view: DashboardView = {
    generatedAt: new Date(now).toISOString(),
    windowMs: store.windowMs,
    windowStart: new Date(windowStart).toISOString(),
    source: { live: input.live, files: input.files, lines: store.lineCount, skipped: input.skipped },
    toggles: { path: modes.togglesFile },
    flipsEnabled: input.flipsEnabled,
    ids: views,
    flips: [...modes.flips()].reverse().slice(0, 100),
  };
  if (modes.lastError) view.toggles.error = modes.lastError;
  if (input.repo) view.repo = input.importsError ? { path: input.repo, error: input.importsError } : { path: input.repo };
  return view;
}
