/**
 * Evidence from the shim's JSONL files (the single-host default), read with the shim's one reader
 * (shim/telemetry-report.ts). A run is one (host, pid, thread, started): its coverage lines touch
 * end to start, so a missing line is a gap; a run whose last line is not final and is older than
 * its longest silence died without a goodbye (SIGKILL, a crash), and the use it had not yet
 * written is lost.
 */
import type { CoverageLine } from '../telemetry-report.js';
import { readTelemetry } from '../telemetry-report.js';
import type { TelemetryLine } from '../telemetry.js';
import type { CoverageGap, CoverageInstance, CoveredSpan, Evidence, EvidenceSource, EvidenceWindow, UseEvidence } from './types.js';

/** Scheduling slack on top of a run's declared longest silence. */
const SLACK_MS = 1000;

function usesInWindow(records: readonly TelemetryLine[], window: EvidenceWindow): UseEvidence[] {
  const byId = new Map<string, UseEvidence & { siteCalls: Map<string, number> }>();
  for (const r of records) {
    const total = r.count + r.methodCalls;
    const last = Date.parse(r.lastSeen);
    if (total <= 0 || Number.isNaN(last) || last < window.from || last > window.to) continue;
    let u = byId.get(r.id);
    if (!u) byId.set(r.id, (u = { id: r.id, calls: 0, methodCalls: 0, lastSeen: undefined, sites: [], siteCalls: new Map() }));
    u.calls += r.count;
    u.methodCalls += r.methodCalls;
    u.lastSeen = Math.max(u.lastSeen ?? 0, last);
    const site = r.overflow ? '(past the site cap)' : r['code.file.path'] ? `${r['code.file.path']}:${r['code.line.number'] ?? '?'}:${r['code.column.number'] ?? '?'}` : '(unknown site)';
    u.siteCalls.set(site, (u.siteCalls.get(site) ?? 0) + total);
  }
  return [...byId.values()].map(({ siteCalls, ...u }) => ({
    ...u,
    sites: [...siteCalls].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([s]) => s),
  }));
}

function runKey(c: CoverageLine): string {
  return `${c.host}\u0000${c.pid}\u0000${c.thread ?? 0}\u0000${c.started}`;
}

function runs(coverage: readonly CoverageLine[], window: EvidenceWindow): CoverageInstance[] {
  const byRun = new Map<string, CoverageLine[]>();
  for (const c of coverage) {
    const k = runKey(c);
    const list = byRun.get(k);
    if (list) list.push(c);
    else byRun.set(k, [c]);
  }
  const out: CoverageInstance[] = [];
  for (const lines of byRun.values()) {
    lines.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    const first = lines[0]!;
    const lastLine = lines[lines.length - 1]!;
    const key = `${first.service} on ${first.host} pid ${first.pid}${first.thread !== undefined ? ` thread ${first.thread}` : ''}`;
    const spans: CoveredSpan[] = [];
    const gaps: CoverageGap[] = [];
    let coveredTo: number | undefined;
    for (const line of lines) {
      const start = Date.parse(line.start);
      const end = Date.parse(line.end);
      // Lines touch (each starts where the last written one ended): any space between is a lost line.
      if (coveredTo !== undefined && start > coveredTo + 1) gaps.push({ start: coveredTo, end: start, why: `${key}: coverage lines missing` });
      spans.push({ start, end, ids: line.ids });
      coveredTo = Math.max(coveredTo ?? end, end);
    }
    const lastEnd = coveredTo!;
    const toleranceMs = Math.max(...lines.map((l) => l.intervalMs)) + SLACK_MS;
    const final = lines.find((l) => l.final === true);
    const end: CoverageInstance['end'] = final
      ? { kind: 'clean', at: Date.parse(final.end) }
      : window.to - lastEnd <= toleranceMs
        ? { kind: 'running' }
        : { kind: 'unclean', at: lastEnd, why: `went silent without a final coverage line (killed or crashed; last line ${lastLine.end})` };
    out.push({
      key,
      labels: {
        service: first.service,
        version: first.version,
        host: first.host,
        pid: String(first.pid),
        ...(first.thread !== undefined ? { thread: String(first.thread) } : {}),
        started: first.started,
      },
      spans,
      gaps,
      end,
      toleranceMs,
    });
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

/** Evidence from already-read records (the dashboard's tail, tests). */
export function evidenceFromTelemetry(
  input: { records: readonly TelemetryLine[]; coverage: readonly CoverageLine[]; skipped?: number; files?: readonly string[] },
  window: EvidenceWindow,
  source = 'telemetry files',
): Evidence {
  const notes: string[] = [];
  if (input.skipped) notes.push(`${input.skipped} malformed line(s) skipped`);
  if (input.records.length > 0 && input.coverage.length === 0) notes.push('use lines but no coverage lines: written by a shim that does not record coverage');
  if (input.files && input.files.length === 0) notes.push('no *.jsonl file found');
  return { source, window, uses: usesInWindow(input.records, window), instances: runs(input.coverage, window), notes };
}

/** JSONL files and directories of them, as the sink writes them. */
export class FileEvidenceSource implements EvidenceSource {
  readonly description: string;

  constructor(private readonly paths: readonly string[]) {
    this.description = `files ${paths.join(', ')}`;
  }

  async collect(window: EvidenceWindow): Promise<Evidence> {
    const { files, records, coverage, skipped } = await readTelemetry([...this.paths]);
    return evidenceFromTelemetry({ records, coverage, skipped: skipped.length, files }, window, `${files.length} file(s) in ${this.paths.join(', ')}`);
  }
}
