/**
 * "Is legacy code still used?", answered once: legacy imports in every form (through the repo's
 * resolver and tsconfig `paths`), TODO(ssot) markers, shim telemetry within a window, and the
 * one "safe to delete" verdict. remove-shim's gate, the dashboard, `status` and the ratchet call it.
 */
import { readTelemetry } from '../../shim/telemetry-report.js';
import type { RepoSnapshot } from '../snapshot/snapshot.js';
import type { ReviewItem } from '../phase/types.js';
import { moduleIdOf } from '../engine/module-id.js';
import { isFrozenFile } from '../strangle/layout.js';
import { findLegacyImports, reachTokens, type LegacyImport } from './imports.js';
import { todoMarkers } from './markers.js';
import { deprecationIds, legacyModuleOwners } from './modules.js';
import { telemetryUse, type IdUse } from './telemetry.js';
import { verdictFor, type Verdict } from './verdict.js';

export { legacyModuleOwners, deprecationIds } from './modules.js';
export { TODO_MARKER, todoComment, hasTodoMarker, todoMarkers } from './markers.js';
export { findLegacyImports, reachTokens, type LegacyImport } from './imports.js';
export { telemetryUse, type IdUse } from './telemetry.js';
export { verdictFor, type Verdict, type VerdictCheck, type CheckStatus, type LegacyEvidence } from './verdict.js';

export interface LegacyUseOptions {
  /** Shim telemetry JSONL files or folders (repo-relative or absolute). */
  telemetry?: readonly string[];
  windowMs?: number;
  now?: number;
}

export interface LegacyUseReport {
  ids: string[];
  imports: LegacyImport[];
  markers: ReviewItem[];
  /** Undefined without telemetry. */
  use?: Map<string, IdUse>;
  telemetry?: { files: string[]; lines: number; skipped: number };
  verdicts: Map<string, Verdict>;
}

/** The manifest's legacy modules as the resolver names them (`src/ws` written for `src/ws/index`). */
export function resolvedOwners(snapshot: RepoSnapshot): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [mod, ids] of legacyModuleOwners(snapshot.manifest)) {
    const id = !snapshot.resolver.isKnown(mod) && snapshot.resolver.isKnown(`${mod}/index`) ? `${mod}/index` : mod;
    out.set(id, [...new Set([...(out.get(id) ?? []), ...ids])]);
  }
  return out;
}

/** Non-legacy source files: the legacy modules and their frozen copies are what gets deleted, not users. */
export function userFiles(snapshot: RepoSnapshot, owners: ReadonlyMap<string, readonly string[]> = resolvedOwners(snapshot)): string[] {
  return snapshot.candidates.filter((f) => !isFrozenFile(f) && !owners.has(moduleIdOf(f)));
}

export async function legacyUse(snapshot: RepoSnapshot, opts: LegacyUseOptions = {}): Promise<LegacyUseReport> {
  const owners = resolvedOwners(snapshot);
  const ids = deprecationIds(snapshot.manifest);
  const files = userFiles(snapshot, owners);
  const read = (f: string) => snapshot.read(f);
  const imports = findLegacyImports(files, read, snapshot.resolver, owners, reachTokens(owners.keys(), snapshot.resolver, snapshot.resolverData));
  const markers = todoMarkers(files, read);
  const report: LegacyUseReport = { ids, imports, markers, verdicts: new Map() };
  let windowLabel: string | undefined;
  if (opts.telemetry?.length) {
    const t = await readTelemetry(opts.telemetry.map((p) => (p.startsWith('/') ? p : `${snapshot.repo}/${p}`)));
    report.use = telemetryUse(t.records, ids, opts.windowMs, opts.now ?? Date.now());
    report.telemetry = { files: t.files, lines: t.records.length, skipped: t.skipped.length };
    if (opts.windowMs !== undefined) windowLabel = (await import('../../shim/duration.js')).formatDuration(opts.windowMs);
  }
  for (const id of ids) report.verdicts.set(id, verdictFor(id, { imports, markers, ...(report.use ? { use: report.use } : {}), ...(windowLabel ? { windowLabel } : {}) }));
  return report;
}
