/**
 * Reads and aggregates telemetry JSONL from many processes (the `ssot-migrate telemetry` command):
 * use lines are deltas, so counts add up; first/last seen take min/max. Coverage lines (`kind:
 * "coverage"`, shim/coverage.ts) are read beside them for the verdicts (shim/evidence/). A line
 * without `kind` is a use line (every writer before coverage existed). Malformed lines (a fragment
 * left by a failed write, a foreign file, a newer version) are skipped and counted, never fatal.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ShimMode } from './modes.js';
import { isShimMode } from './modes.js';
import type { TelemetryLine } from './telemetry.js';

/** Version of the coverage record format (per kind: use lines keep their own `v`). */
export const COVERAGE_RECORD_VERSION = 1;

/** One coverage JSONL line: the writing process was up, with these ids installed, from `start` to `end`. */
export interface CoverageLine {
  kind: 'coverage';
  v: typeof COVERAGE_RECORD_VERSION;
  /** When the line was written (ISO). */
  ts: string;
  service: string;
  version: string;
  host: string;
  pid: number;
  /** Worker thread id; absent on the main thread. */
  thread?: number;
  /** When this runtime started recording (ISO); with host, pid and thread it names one run. */
  started: string;
  /** Deprecation ids installed (sorted). */
  ids: string[];
  /** The span this line covers (ISO): the previous line's end (or `started`) to the write. */
  start: string;
  end: string;
  /** Longest silence between two lines while the run is up: a longer one is a gap (or the run died). */
  intervalMs: number;
  /** The run ended here (exit, a signal that ends it, or the runtime closed): nothing follows. */
  final?: true;
  /** Why a final (or end-of-process) line was written: exit, beforeExit, SIGTERM, closed, … */
  reason?: string;
}

export interface SiteSummary {
  file: string | undefined;
  line: number | undefined;
  col: number | undefined;
  function: string | undefined;
  overflow: boolean;
  calls: number;
  methodCalls: number;
  firstSeen: string;
  lastSeen: string;
}

export interface IdSummary {
  id: string;
  symbols: string[];
  /** Entry-point uses (constructions, factory and function calls). */
  calls: number;
  methodCalls: number;
  /** Distinct recorded sites (the overflow record is not a site). */
  distinctSites: number;
  /** Uses past some process's site cap, attributed to no site. */
  overflowCalls: number;
  firstSeen: string;
  lastSeen: string;
  /** Entry-point uses per mode. */
  modes: Partial<Record<ShimMode, number>>;
  /** The mode of the most recently seen use. */
  lastMode: ShimMode;
  processes: number;
  topSites: SiteSummary[];
}

export interface TelemetryReport {
  files: string[];
  lines: number;
  skipped: Array<{ file: string; line: number; reason: string }>;
  ids: IdSummary[];
}

/** Expands directories to their *.jsonl files (sorted). A path that does not exist is an error saying so (code ENOENT). */
export async function expandTelemetryPaths(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    let s;
    try {
      s = await stat(p);
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      if (e.code !== 'ENOENT') throw error;
      throw Object.assign(new Error(`telemetry path ${p} does not exist`), { code: 'ENOENT' });
    }
    if (s.isDirectory()) {
      const names = (await readdir(p)).filter((n) => n.endsWith('.jsonl')).sort();
      out.push(...names.map((n) => join(p, n)));
    } else {
      out.push(p);
    }
  }
  return out;
}

/**
 * The one reader of the shim's JSONL line format (the writer is telemetry-sink.ts): a use line, a
 * coverage line, or why the line is skipped. Lines of another format version are skipped, never
 * half-read.
 */
export function parseTelemetryRecord(text: string): TelemetryLine | CoverageLine | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (typeof value !== 'object' || value === null) return 'not an object';
  const kind = (value as { kind?: unknown }).kind;
  if (kind === 'coverage') return validCoverageLine(value as Partial<CoverageLine>);
  if (kind !== undefined && kind !== 'use') return 'unknown record kind';
  return validUseLine(value as Partial<TelemetryLine>);
}

export function isCoverageLine(record: TelemetryLine | CoverageLine): record is CoverageLine {
  return record.kind === 'coverage';
}

const isIsoTime = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));

function validCoverageLine(v: Partial<CoverageLine>): CoverageLine | string {
  if (v.v !== COVERAGE_RECORD_VERSION) return 'unknown coverage version';
  if (typeof v.host !== 'string' || typeof v.pid !== 'number') return 'coverage: missing host or pid';
  if (!Array.isArray(v.ids) || !v.ids.every((id) => typeof id === 'string')) return 'coverage: missing ids';
  if (!isIsoTime(v.start) || !isIsoTime(v.end) || !isIsoTime(v.started)) return 'coverage: missing start, end or started';
  if (typeof v.intervalMs !== 'number' || !(v.intervalMs > 0)) return 'coverage: missing intervalMs';
  if (v.thread !== undefined && typeof v.thread !== 'number') return 'coverage: bad thread';
  return { ...v, service: typeof v.service === 'string' ? v.service : 'unknown', version: typeof v.version === 'string' ? v.version : 'unknown' } as CoverageLine;
}

function validUseLine(v: Partial<TelemetryLine>): TelemetryLine | string {
  if (v.v !== 1) return 'unknown version';
  if (typeof v.id !== 'string' || typeof v.symbol !== 'string') return 'missing id or symbol';
  if (!isShimMode(v.mode)) return 'unknown mode';
  if (typeof v.count !== 'number' || typeof v.methodCalls !== 'number') return 'missing counts';
  if (typeof v.firstSeen !== 'string' || typeof v.lastSeen !== 'string') return 'missing first/last seen';
  return v as TelemetryLine;
}

/** Every record of the given JSONL files or folders (use and coverage lines), with the lines skipped and why. */
export async function readTelemetry(paths: readonly string[]): Promise<{ files: string[]; records: TelemetryLine[]; coverage: CoverageLine[]; skipped: TelemetryReport['skipped'] }> {
  const files = await expandTelemetryPaths(paths);
  const records: TelemetryLine[] = [];
  const coverage: CoverageLine[] = [];
  const skipped: TelemetryReport['skipped'] = [];
  for (const file of files) {
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines.forEach((text, i) => {
      if (text.trim() === '') return;
      const parsed = parseTelemetryRecord(text);
      if (typeof parsed === 'string') skipped.push({ file, line: i + 1, reason: parsed });
      else if (isCoverageLine(parsed)) coverage.push(parsed);
      else records.push(parsed);
    });
  }
  return { files, records, coverage, skipped };
}

export function aggregateTelemetry(records: TelemetryLine[], options: { top?: number } = {}): IdSummary[] {
  const top = options.top ?? 5;
  interface Acc extends Omit<IdSummary, 'symbols' | 'distinctSites' | 'processes' | 'topSites'> {
    symbols: Set<string>;
    processes: Set<string>;
    lastModeAt: string;
    sites: Map<string, SiteSummary>;
  }
  const byId = new Map<string, Acc>();
  for (const r of records) {
    let acc = byId.get(r.id);
    if (!acc) {
      acc = {
        id: r.id,
        symbols: new Set(),
        calls: 0,
        methodCalls: 0,
        overflowCalls: 0,
        firstSeen: r.firstSeen,
        lastSeen: r.lastSeen,
        modes: {},
        lastMode: r.mode,
        lastModeAt: '',
        processes: new Set(),
        sites: new Map(),
      };
      byId.set(r.id, acc);
    }
    acc.symbols.add(r.symbol);
    acc.processes.add(`${r.host}:${r.pid}`);
    acc.calls += r.count;
    acc.methodCalls += r.methodCalls;
    acc.modes[r.mode] = (acc.modes[r.mode] ?? 0) + r.count;
    if (r.firstSeen < acc.firstSeen) acc.firstSeen = r.firstSeen;
    if (r.lastSeen > acc.lastSeen) acc.lastSeen = r.lastSeen;
    if (r.lastSeen >= acc.lastModeAt) {
      acc.lastModeAt = r.lastSeen;
      acc.lastMode = r.mode;
    }
    if (r.overflow) acc.overflowCalls += r.count;
    const key = r.overflow ? '<overflow>' : `${r['code.file.path'] ?? '<unknown>'}:${r['code.line.number'] ?? 0}:${r['code.column.number'] ?? 0}`;
    const site = acc.sites.get(key);
    if (!site) {
      acc.sites.set(key, {
        file: r['code.file.path'],
        line: r['code.line.number'],
        col: r['code.column.number'],
        function: r['code.function.name'],
        overflow: r.overflow === true,
        calls: r.count,
        methodCalls: r.methodCalls,
        firstSeen: r.firstSeen,
        lastSeen: r.lastSeen,
      });
    } else {
      site.calls += r.count;
      site.methodCalls += r.methodCalls;
      if (r.firstSeen < site.firstSeen) site.firstSeen = r.firstSeen;
      if (r.lastSeen > site.lastSeen) site.lastSeen = r.lastSeen;
    }
  }
  return [...byId.values()]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((acc) => {
      const sites = [...acc.sites.values()];
      return {
        id: acc.id,
        symbols: [...acc.symbols].sort(),
        calls: acc.calls,
        methodCalls: acc.methodCalls,
        distinctSites: sites.filter((s) => !s.overflow).length,
        overflowCalls: acc.overflowCalls,
        firstSeen: acc.firstSeen,
        lastSeen: acc.lastSeen,
        modes: acc.modes,
        lastMode: acc.lastMode,
        processes: acc.processes.size,
        topSites: sites
          .sort((a, b) => b.calls + b.methodCalls - (a.calls + a.methodCalls) || (a.file ?? '').localeCompare(b.file ?? ''))
          .slice(0, top),
      };
    });
}

export async function buildTelemetryReport(paths: string[], options: { top?: number } = {}): Promise<TelemetryReport> {
  const { files, records, skipped } = await readTelemetry(paths);
  return { files, lines: records.length, skipped, ids: aggregateTelemetry(records, options) };
}

function siteLabel(s: SiteSummary, cwd: string): string {
  if (s.overflow) return '(past the site cap)';
  if (!s.file) return '(unknown site)';
  const file = s.file.startsWith(cwd + '/') ? s.file.slice(cwd.length + 1) : s.file;
  return `${file}:${s.line}:${s.col}${s.function ? ` ${s.function}` : ''}`;
}

function modeLabel(s: IdSummary): string {
  const parts = Object.entries(s.modes).map(([m, n]) => `${m} ${n}`);
  return parts.length > 1 ? `${s.lastMode} (${parts.join(', ')})` : s.lastMode;
}

/** Human table: one block per id. */
export function formatTelemetryReport(report: TelemetryReport, cwd = process.cwd()): string {
  const out: string[] = [];
  out.push(`${report.files.length} file(s), ${report.lines} line(s)${report.skipped.length ? `, ${report.skipped.length} malformed line(s) skipped` : ''}`);
  if (report.ids.length === 0) {
    out.push('no legacy use recorded');
    return out.join('\n') + '\n';
  }
  const header = ['id', 'calls', 'method calls', 'sites', 'first seen', 'last seen', 'mode'];
  const rows = report.ids.map((s) => [
    s.id,
    String(s.calls),
    String(s.methodCalls),
    String(s.distinctSites) + (s.overflowCalls ? ` (+${s.overflowCalls} overflow)` : ''),
    s.firstSeen,
    s.lastSeen,
    modeLabel(s),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  out.push('', fmt(header), fmt(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) out.push(fmt(row));
  for (const s of report.ids) {
    out.push('', `${s.id} (${s.symbols.join(', ')}) top sites:`);
    for (const site of s.topSites) out.push(`  ${String(site.calls + site.methodCalls).padStart(8)}  ${siteLabel(site, cwd)}`);
  }
  return out.join('\n') + '\n';
}
