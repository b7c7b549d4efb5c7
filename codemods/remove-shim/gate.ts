/**
 * The remove-shim gate: nothing may still reach a legacy module, no TODO(ssot) marker may be
 * left, and the telemetry given (if any) must show no legacy use in the window.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { SsotManifest } from '../../manifest/types.js';
import type { ReviewItem } from '../../scripts/runner/plan.js';
import { parseSource } from '../engine/parse.js';
import type { ModuleResolver } from '../engine/resolve.js';
import { lineColumn } from '../engine/text.js';
import { specifierLiterals } from '../strangle/frozen.js';

export const TODO_MARK = 'TODO(ssot)';

/** Imports (any form) of a legacy module from a file that is not itself legacy. */
export function legacyImports(files: readonly string[], read: (f: string) => string | undefined, resolver: ModuleResolver, legacyIds: ReadonlySet<string>): ReviewItem[] {
  const out: ReviewItem[] = [];
  for (const file of files) {
    const text = read(file);
    if (text === undefined) continue;
    const { sf } = parseSource(file, text);
    for (const lit of specifierLiterals(sf)) {
      const id = resolver.resolve(lit.text, file);
      if (id !== undefined && legacyIds.has(id)) out.push({ file, line: lineColumn(text, lit.getStart()).line, message: `still imports legacy module ${id} ('${lit.text}')` });
    }
  }
  return out;
}

export function todoMarkers(files: readonly string[], read: (f: string) => string | undefined): ReviewItem[] {
  const out: ReviewItem[] = [];
  for (const file of files) {
    const text = read(file);
    if (text === undefined || !text.includes(TODO_MARK)) continue;
    text.split('\n').forEach((l, i) => {
      if (l.includes(TODO_MARK)) out.push({ file, line: i + 1, message: l.trim() });
    });
  }
  return out;
}

/** "30d", "12h", "15m", "90s" or milliseconds. */
export function parseWindow(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$/.exec(text);
  if (!m) throw new Error(`remove-shim: window ${JSON.stringify(text)} is not a duration like 30d, 12h, 15m, 90s or a number of milliseconds`);
  const unit = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 }[(m[2] ?? 'ms') as 'ms'];
  return Number(m[1]) * unit;
}

export interface LegacyUse {
  id: string;
  symbol: string;
  calls: number;
  lastSeen: string;
  site?: string;
}

function jsonlFiles(path: string): string[] {
  if (!existsSync(path)) throw new Error(`remove-shim: telemetry path ${path} does not exist`);
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).filter((f) => f.endsWith('.jsonl')).map((f) => join(path, f));
}

/**
 * Legacy use recorded in shim telemetry JSONL (lines are deltas; see shim/README.md) for the
 * manifest's ids, with `lastSeen` inside the window ending at `now` (no window: any use).
 * Malformed lines are skipped and counted.
 */
export function legacyUse(repo: string, paths: readonly string[], ids: ReadonlySet<string>, windowMs: number | undefined, now: number): { uses: LegacyUse[]; malformed: number; lines: number } {
  const uses = new Map<string, LegacyUse>();
  let malformed = 0;
  let lines = 0;
  for (const p of paths) {
    for (const file of jsonlFiles(isAbsolute(p) ? p : join(repo, p))) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        let rec: { id?: unknown; symbol?: unknown; count?: unknown; methodCalls?: unknown; lastSeen?: unknown; 'code.file.path'?: unknown; 'code.line.number'?: unknown };
        try {
          rec = JSON.parse(line) as typeof rec;
        } catch {
          malformed++;
          continue;
        }
        lines++;
        if (typeof rec.id !== 'string' || !ids.has(rec.id)) continue;
        const calls = (typeof rec.count === 'number' ? rec.count : 0) + (typeof rec.methodCalls === 'number' ? rec.methodCalls : 0);
        const last = typeof rec.lastSeen === 'string' ? Date.parse(rec.lastSeen) : NaN;
        if (calls <= 0 || (windowMs !== undefined && (Number.isNaN(last) || last < now - windowMs))) continue;
        const site = typeof rec['code.file.path'] === 'string' ? `${rec['code.file.path']}:${String(rec['code.line.number'] ?? '?')}` : undefined;
        const key = `${rec.id}\0${String(rec.symbol)}\0${site ?? ''}`;
        const prev = uses.get(key);
        if (prev) {
          prev.calls += calls;
          if (String(rec.lastSeen) > prev.lastSeen) prev.lastSeen = String(rec.lastSeen);
        } else uses.set(key, { id: rec.id, symbol: String(rec.symbol), calls, lastSeen: String(rec.lastSeen), ...(site ? { site } : {}) });
      }
    }
  }
  return { uses: [...uses.values()], malformed, lines };
}

export function manifestIds(manifest: SsotManifest): Set<string> {
  return new Set([...manifest.legacy.map((l) => l.id), ...manifest.adapters.map((a) => a.id), ...(manifest.factory ? [manifest.factory.id] : [])]);
}
