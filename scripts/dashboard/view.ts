/**
 * What the page shows, computed in one place (the page only renders it): per deprecation id
 * the counts, call sites, chart, current mode and the "safe to delete?" verdict.
 */
import type { ShimMode } from '../../shim/modes.js';
import type { SiteSummary } from '../../shim/telemetry-report.js';
import type { FlipEntry, ModeController } from './flips.js';
import { verdictFor as safeToDelete, type IdVerdict, type LegacyImport, type MarkerItem, type Verdict, type VerdictCheck } from '../../codemods/index.js';
import { judge, type Evidence } from '../../shim/evidence/index.js';
import type { SeriesView, TelemetryStore } from './store.js';

export type { Verdict, VerdictCheck };

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
  source: { live: boolean; files: string[]; lines: number; skipped: number; evidence?: { source: string; window?: { from: string; to: string }; error?: string; notes: string[] } };
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
  /** Use and coverage read from the telemetry source (files or Prometheus) for the verdicts; undefined until read, or in --live mode. */
  evidence?: Evidence;
  /** The telemetry source, as the verdicts name it, and its last read error. */
  evidenceSource?: string;
  evidenceError?: string;
  /** Undefined without --repo: legacy imports and TODO(ssot) markers left (codemods/legacy-use). */
  imports?: LegacyImport[];
  markers?: MarkerItem[];
  /** Legacy module files that are global scripts (the verdict's scripts check); with imports. */
  globalScripts?: ReadonlyArray<{ file: string; line: number; ids: readonly string[] }>;
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

/**
 * The one "safe to delete" verdict (codemods/legacy-use), with the telemetry verdicts judged from
 * this dashboard's evidence (shim/evidence: the same judge as remove-shim's gate).
 */
export function verdictFor(id: string, input: ViewInputs, telemetry: ReadonlyMap<string, IdVerdict> | undefined, windowMs: number): Verdict {
  const scanned = input.imports !== undefined && input.manifestIds.includes(id);
  return safeToDelete(id, {
    ...(scanned ? { imports: input.imports! } : {}),
    ...(scanned && input.markers ? { markers: input.markers } : {}),
    ...(scanned && input.globalScripts ? { globalScripts: input.globalScripts } : {}),
    unscannedReason: input.importsError ? `could not scan the repo: ${input.importsError}` : !input.imports ? 'not checked (start with --repo DIR)' : 'id not in the repo’s ssot.config.json',
    ...(telemetry ? { telemetry, windowMs } : {}),
    noTelemetryHint: input.evidenceError ? `reading ${input.evidenceSource ?? 'the telemetry'} failed: ${input.evidenceError}` : input.live ? 'live mode sees one process: start with --telemetry FILES|prometheus+http://HOST:PORT for a verdict' : 'not read yet',
  });
}

export function buildView(input: ViewInputs, cwd = process.cwd()): DashboardView {
  const { store, modes, now } = input;
  const windowStart = now - store.windowMs;
  store.prune(now);
  const summaries = new Map(store.summaries().map((s) => [s.id, s]));
  const ids = new Set<string>([...summaries.keys(), ...input.manifestIds, ...modes.namedIds(), ...(input.evidence?.uses.map((u) => u.id) ?? [])]);
  const judged = input.evidence ? new Map(judge(input.evidence, [...ids]).verdicts.map((v) => [v.id, v])) : undefined;
  const judgedMs = input.evidence ? input.evidence.window.to - input.evidence.window.from : store.windowMs;
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
      verdict: verdictFor(id, input, judged, judgedMs),
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
    source: {
      live: input.live,
      files: input.files,
      lines: store.lineCount,
      skipped: input.skipped,
      ...(input.evidenceSource
        ? {
            evidence: {
              source: input.evidence?.source ?? input.evidenceSource,
              ...(input.evidence ? { window: { from: new Date(input.evidence.window.from).toISOString(), to: new Date(input.evidence.window.to).toISOString() } } : {}),
              ...(input.evidenceError ? { error: input.evidenceError } : {}),
              notes: input.evidence?.notes ?? [],
            },
          }
        : {}),
    },
    toggles: { path: modes.togglesFile },
    flipsEnabled: input.flipsEnabled,
    ids: views,
    flips: [...modes.flips()].reverse().slice(0, 100),
  };
  if (modes.lastError) view.toggles.error = modes.lastError;
  if (input.repo) view.repo = input.importsError ? { path: input.repo, error: input.importsError } : { path: input.repo };
  return view;
}
