/**
 * Legacy use recorded by the shim, per deprecation id, within a window. Records come from the
 * shim's one JSONL reader (shim/telemetry-report.ts, which checks the format version).
 */
import type { TelemetryLine } from '../../shim/telemetry.js';

export interface IdUse {
  id: string;
  /** Entry-point uses plus method calls with lastSeen inside the window. */
  calls: number;
  lastSeen?: string;
  /** Top sites: "symbol ×n at file:line". */
  sites: Array<{ symbol: string; calls: number; lastSeen: string; site?: string }>;
}

/** Use per id among `ids`; with `windowMs`, only records last seen at or after `now - windowMs` count. */
export function telemetryUse(records: readonly TelemetryLine[], ids: readonly string[], windowMs: number | undefined, now: number): Map<string, IdUse> {
  const out = new Map<string, IdUse>(ids.map((id) => [id, { id, calls: 0, sites: [] }]));
  const bySite = new Map<string, IdUse['sites'][number]>();
  for (const r of records) {
    const use = out.get(r.id);
    if (!use) continue;
    const calls = r.count + r.methodCalls;
    const last = Date.parse(r.lastSeen);
    if (calls <= 0 || (windowMs !== undefined && (Number.isNaN(last) || last < now - windowMs))) continue;
    use.calls += calls;
    if (!use.lastSeen || r.lastSeen > use.lastSeen) use.lastSeen = r.lastSeen;
    const site = r['code.file.path'] !== undefined ? `${r['code.file.path']}:${r['code.line.number'] ?? '?'}` : undefined;
    const key = `${r.id}\0${r.symbol}\0${site ?? ''}`;
    const prev = bySite.get(key);
    if (prev) {
      prev.calls += calls;
      if (r.lastSeen > prev.lastSeen) prev.lastSeen = r.lastSeen;
    } else {
      const s = { symbol: r.symbol, calls, lastSeen: r.lastSeen, ...(site ? { site } : {}) };
      bySite.set(key, s);
      use.sites.push(s);
    }
  }
  for (const u of out.values()) u.sites.sort((a, b) => b.calls - a.calls);
  return out;
}
