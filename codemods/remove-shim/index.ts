/**
 * Phase 5, remove-shim: when every deprecation id is safe to delete (codemods/legacy-use: no
 * import of a legacy module in any form, no TODO(ssot) marker, no use in the telemetry given),
 * delete every facade and frozen file. The telemetry files and window are phase options
 * (`run remove-shim --telemetry FILES --window 30d`); without telemetry that check is skipped
 * and the plan's summary says so.
 */
import { formatDuration } from '../../shim/duration.js';
import { legacyUse, type LegacyUseOptions } from '../legacy-use/index.js';
import type { FileWrite, PhasePlan, ReviewItem } from '../phase/types.js';
import type { RepoSnapshot } from '../snapshot/snapshot.js';
import { frozenPathOf, isFrozenFile, legacyModuleIds, moduleFiles } from '../strangle/index.js';

export interface RemoveShimOptions {
  /** Telemetry JSONL files or directories (repo-relative or absolute). */
  telemetry?: string[];
  /** Only use whose lastSeen falls in this window counts. Default: any recorded use. */
  windowMs?: number;
  /** Clock for the window (tests). */
  now?: () => number;
}

const list = (items: ReadonlyArray<{ file: string; line: number; message: string }>, n = 8): string =>
  items.slice(0, n).map((i) => `${i.file}:${i.line} ${i.message}`).join('; ') + (items.length > n ? `; … ${items.length - n} more` : '');

export async function planRemoveShim(snapshot: RepoSnapshot, opts: RemoveShimOptions = {}): Promise<PhasePlan> {
  const legacy = moduleFiles(legacyModuleIds(snapshot.manifest), snapshot.repoFiles);
  const base = { phase: 'remove-shim', writes: [] as FileWrite[], edits: 0, needsReview: [] as ReviewItem[], problems: [] as ReviewItem[] };
  const useOpts: LegacyUseOptions = { ...(opts.telemetry?.length ? { telemetry: opts.telemetry } : {}), ...(opts.windowMs !== undefined ? { windowMs: opts.windowMs } : {}), now: (opts.now ?? Date.now)() };
  const use = await legacyUse(snapshot, useOpts);
  const window = opts.windowMs !== undefined ? ` in the last ${formatDuration(opts.windowMs)}` : '';

  if (use.imports.length) {
    const items = use.imports.map((i) => ({ file: i.file, line: i.line, message: `still imports legacy module ${i.module} ('${i.specifier}')` }));
    return { ...base, summary: 'legacy modules still in use', needsReview: items, refusal: `${items.length} import(s) of legacy modules remain: ${list(items)}` };
  }
  if (use.markers.length) return { ...base, summary: 'TODO(ssot) markers remain', needsReview: use.markers, refusal: `${use.markers.length} TODO(ssot) marker(s) remain: ${list(use.markers)}` };
  let telemetryNote = 'no telemetry given';
  if (use.use && use.telemetry) {
    const sites = [...use.use.values()].flatMap((u) => u.sites.map((s) => ({ id: u.id, ...s }))).sort((a, b) => b.calls - a.calls);
    if (sites.length) {
      const top = sites.slice(0, 5).map((u) => `${u.id} ${u.symbol} ×${u.calls} (last ${u.lastSeen}${u.site ? ` at ${u.site}` : ''})`);
      return { ...base, summary: 'legacy use in telemetry', refusal: `telemetry shows legacy use${window}: ${top.join('; ')}${sites.length > 5 ? `; … ${sites.length - 5} more` : ''}` };
    }
    telemetryNote = `telemetry: ${use.telemetry.lines} line(s), no legacy use${window}${use.telemetry.skipped ? `, ${use.telemetry.skipped} malformed line(s) skipped` : ''}`;
  }
  // every id's verdict is the same one the dashboard shows (legacy-use/verdict.ts)
  const unsafe = [...use.verdicts].filter(([, v]) => !v.safe);
  if (unsafe.length) return { ...base, summary: 'not safe to delete', refusal: unsafe.map(([id, v]) => `${id}: ${v.checks.filter((c) => c.status === 'fail').map((c) => c.detail).join('; ')}`).join('\n') };

  const writes: FileWrite[] = [];
  for (const file of legacy.values()) {
    writes.push({ path: file, content: null });
    if (snapshot.read(frozenPathOf(file)) !== undefined) writes.push({ path: frozenPathOf(file), content: null });
  }
  const cfg = snapshot.read('ssot.config.json');
  if (cfg !== undefined) {
    let next = cfg;
    for (const w of writes) {
      if (!isFrozenFile(w.path)) continue;
      const q = JSON.stringify(w.path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const before = next;
      next = next.replace(new RegExp(`,\\s*${q}`), '');
      if (next === before) next = next.replace(new RegExp(`${q}\\s*,?\\s*`), '');
    }
    if (next !== cfg) writes.push({ path: 'ssot.config.json', content: next });
  }
  const removed = writes.filter((w) => w.content === null).length;
  return { ...base, writes, edits: removed, summary: removed ? `deleted ${legacy.size} facade(s) and their frozen legacy code (${telemetryNote})` : `no legacy module left to delete (${telemetryNote})` };
}
