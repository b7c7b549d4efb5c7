/**
 * Phase 5, remove-shim: once nothing reaches the legacy modules, no TODO(ssot) marker is left
 * and the telemetry shows no legacy use in the window, delete every facade and frozen file.
 *
 * Telemetry: `planRemoveShimWith({ telemetry, window })`, or for the runner's planner the
 * environment: SSOT_REMOVE_SHIM_TELEMETRY (JSONL files or directories, separated by ","; relative
 * to the repo) and SSOT_REMOVE_SHIM_WINDOW ("30d", "12h", "15m", "90s", or ms). Without
 * telemetry the telemetry gate is skipped (and the plan's summary says so).
 */
import type { SsotManifest } from '../../manifest/types.js';
import type { FileWrite, PhasePlan, PhasePlanner, ReviewItem } from '../../scripts/runner/plan.js';
import { listCandidateFiles, listRepoFiles } from '../engine/files.js';
import { moduleIdOf } from '../engine/module-id.js';
import { ModuleResolver } from '../engine/resolve.js';
import { readResolverData } from '../engine/tsconfig.js';
import { frozenPathOf, isFrozenFile, legacyModuleIds, moduleFiles, repoReader } from '../strangle/index.js';
import { legacyImports, legacyUse, manifestIds, parseWindow, todoMarkers } from './gate.js';

export { legacyImports, legacyUse, parseWindow, todoMarkers, type LegacyUse } from './gate.js';

export interface RemoveShimOptions {
  /** Telemetry JSONL files or directories (repo-relative or absolute). */
  telemetry?: string[];
  /** Only use whose lastSeen falls in this window counts ("30d", "12h", or ms). Default: any recorded use. */
  window?: string | number;
  /** Clock for the window (tests). */
  now?: () => number;
}

export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): RemoveShimOptions {
  const t = env['SSOT_REMOVE_SHIM_TELEMETRY'];
  const w = env['SSOT_REMOVE_SHIM_WINDOW'];
  return { ...(t ? { telemetry: t.split(',').map((s) => s.trim()).filter(Boolean) } : {}), ...(w ? { window: w } : {}) };
}

const list = (items: readonly ReviewItem[], n = 8): string => items.slice(0, n).map((i) => `${i.file}:${i.line} ${i.message}`).join('; ') + (items.length > n ? `; … ${items.length - n} more` : '');

export function planRemoveShimWith(opts: RemoveShimOptions = {}): PhasePlanner {
  return async (repo: string, manifest: SsotManifest): Promise<PhasePlan> => {
    const read = repoReader(repo);
    const repoFiles = listRepoFiles(repo);
    const legacy = moduleFiles(legacyModuleIds(manifest), repoFiles);
    const legacyFiles = new Set(legacy.values());
    const candidates = listCandidateFiles(repo, manifest.exclude).filter((f) => !legacyFiles.has(f) && !isFrozenFile(f));
    const resolver = new ModuleResolver(readResolverData(repo, manifest.tsconfig, [...new Set(repoFiles.map(moduleIdOf))]));
    const base = { phase: 'remove-shim' as const, writes: [] as FileWrite[], edits: 0, needsReview: [] as ReviewItem[], problems: [] as ReviewItem[] };

    const imports = legacyImports(candidates, read, resolver, new Set(legacy.keys()));
    if (imports.length) return { ...base, summary: 'legacy modules still in use', needsReview: imports, refusal: `${imports.length} import(s) of legacy modules remain: ${list(imports)}` };
    const todos = todoMarkers(candidates, read);
    if (todos.length) return { ...base, summary: 'TODO(ssot) markers remain', needsReview: todos, refusal: `${todos.length} TODO(ssot) marker(s) remain: ${list(todos)}` };
    let telemetryNote = 'no telemetry given';
    if (opts.telemetry?.length) {
      const windowMs = opts.window === undefined ? undefined : typeof opts.window === 'number' ? opts.window : parseWindow(opts.window);
      const now = (opts.now ?? Date.now)();
      const t = legacyUse(repo, opts.telemetry, manifestIds(manifest), windowMs, now);
      if (t.uses.length) {
        const top = t.uses.sort((a, b) => b.calls - a.calls).slice(0, 5).map((u) => `${u.id} ${u.symbol} ×${u.calls} (last ${u.lastSeen}${u.site ? ` at ${u.site}` : ''})`);
        return { ...base, summary: 'legacy use in telemetry', refusal: `telemetry shows legacy use${windowMs !== undefined ? ` in the last ${opts.window}` : ''}: ${top.join('; ')}${t.uses.length > 5 ? `; … ${t.uses.length - 5} more` : ''}` };
      }
      telemetryNote = `telemetry: ${t.lines} line(s), no legacy use${windowMs !== undefined ? ` in the last ${opts.window}` : ''}${t.malformed ? `, ${t.malformed} malformed line(s) skipped` : ''}`;
    }
    const writes: FileWrite[] = [];
    for (const file of legacy.values()) {
      writes.push({ path: file, content: null });
      if (read(frozenPathOf(file)) !== undefined) writes.push({ path: frozenPathOf(file), content: null });
    }
    const cfg = read('ssot.config.json');
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
  };
}

/** Phase 5 planner (PhasePlanner), telemetry options from the environment. */
export const planRemoveShim: PhasePlanner = (repo, manifest) => planRemoveShimWith(optionsFromEnv())(repo, manifest);
