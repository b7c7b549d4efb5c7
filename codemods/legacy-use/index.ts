/**
 * "Is legacy code still used?", answered once: legacy imports in every form (through the repo's
 * resolver and tsconfig `paths`), TODO(ssot) markers, the shim telemetry's verdict per id within
 * a window (*in use* / *unused* / *unknown*, with its coverage; files or Prometheus), and the one
 * "safe to delete" verdict. remove-shim's gate, the dashboard, `status` and `review` show it.
 */
import type { RepoSnapshot } from '../snapshot/snapshot.js';
import { declarationLines } from '../engine/delete-declaration.js';
import { moduleIdOf } from '../engine/module-id.js';
import { frozenPathOf, isFrozenFile, legacyModuleIds, moduleFiles } from '../strangle/layout.js';
import { strangleReadiness } from '../strangle/refusal.js';
import { findLegacyImports, reachTokens, type LegacyImport } from './imports.js';
import { markerIds, todoMarkers, type MarkerItem } from './markers.js';
import { deprecationIds, legacyModuleOwners } from './modules.js';
import { DEFAULT_WINDOW_MS, telemetryVerdicts, type VerdictReport } from './telemetry.js';
import { INVENTORY_JSON } from '../discover/inventory.js';
import { legacyComments, type CommentMention } from './mentions.js';
import { legacyVocabulary, type InventoryNames, type LegacyVocabulary } from './vocabulary.js';
import { verdictFor, type Verdict } from './verdict.js';

export { legacyModuleOwners, deprecationIds } from './modules.js';
export { TODO_MARKER, todoComment, hasTodoMarker, todoMarkers, markerSubject, markerIds, markerConcerns, type MarkerItem } from './markers.js';
export { findLegacyImports, reachTokens, type LegacyImport } from './imports.js';
export { DEFAULT_WINDOW_MS, describeTelemetryVerdict, telemetryVerdicts, type IdVerdict, type TelemetryQuery, type TelemetryVerdict, type VerdictReport } from './telemetry.js';
export { legacyVocabulary, findMentions, mayMention, mentionsLegacy, moduleOfPath, vocabularyTokens, withoutBound, type LegacyVocabulary, type LegacyName, type Mention, type InventoryNames } from './vocabulary.js';
export { describeMention, legacyComments, legacyCommentsOf, sentenceStarts, boundNames, type CommentMention, type CommentEdit, type FileComments, type RepoComments } from './mentions.js';
export { commentUnits, type CommentUnit, type CommentLine } from './comments.js';
export { verdictFor, type Verdict, type VerdictCheck, type CheckStatus, type LegacyEvidence } from './verdict.js';

export interface LegacyUseOptions {
  /** Shim telemetry JSONL files or folders (repo-relative or absolute), or one prometheus+http://HOST:PORT. */
  telemetry?: readonly string[];
  /** The window the telemetry verdict judges (default DEFAULT_WINDOW_MS, 30 days). */
  windowMs?: number;
  now?: number;
  /** No telemetry, and why (a person's reason): the calls check is skipped, saying so. */
  withoutTelemetry?: string;
  /** How this caller gets telemetry, for the "no telemetry" detail (e.g. "pass --telemetry"). */
  noTelemetryHint?: string;
}

export interface LegacyUseReport {
  ids: string[];
  imports: LegacyImport[];
  /** TODO(ssot) lines, each with the ids it concerns (`ids`; none: every id, a marker that names no subject). */
  markers: MarkerItem[];
  /** The telemetry verdict per id and the coverage behind it; undefined without telemetry. */
  telemetry?: VerdictReport;
  /** The window judged, when telemetry was given. */
  windowMs?: number;
  verdicts: Map<string, Verdict>;
  /** Legacy module files that are global scripts declaring something (globalScripts): the verdict's scripts check. */
  globalScripts: GlobalScript[];
  /** Legacy names and module paths still named in comments (they block nothing; the manifest's `comments` policy decides). */
  comments: CommentMention[];
}

/** The repo's legacy vocabulary: the manifest, plus what discover's committed inventory knows (aliases, legacy declarations). */
export function repoVocabulary(snapshot: RepoSnapshot): LegacyVocabulary {
  let inventory: InventoryNames | undefined;
  const text = snapshot.read(INVENTORY_JSON);
  try {
    if (text !== undefined) inventory = JSON.parse(text) as InventoryNames;
  } catch {
    // an inventory a person broke: the manifest alone still names the legacy code
  }
  return legacyVocabulary(snapshot.manifest, inventory);
}

/** A legacy module file that is a global script declaring something, with strangle's reason and the ids owning it. */
export interface GlobalScript {
  file: string;
  line: number;
  reason: string;
  ids: string[];
}

/**
 * The legacy module files strangle refuses as global scripts (strangle/refusal.ts, the one
 * decision: a `.ts` file with no import or export declaring something): other files use what they
 * declare by name, with no import the imports check counts, so no id owning one is safe to delete
 * and remove-shim refuses to delete it. One strangled already (a frozen sibling) is not one.
 */
export function globalScripts(snapshot: RepoSnapshot, read: (f: string) => string | undefined = (f) => snapshot.read(f)): GlobalScript[] {
  const owners = legacyModuleOwners(snapshot.manifest);
  const out: GlobalScript[] = [];
  for (const [module, file] of moduleFiles(legacyModuleIds(snapshot.manifest), snapshot.repoFiles)) {
    const text = read(file);
    if (text === undefined || read(frozenPathOf(file)) !== undefined) continue;
    const r = strangleReadiness(file, text, false);
    if (r.kind === 'refused' && r.globals) out.push({ file, line: r.line, reason: r.reason, ids: owners.get(module) ?? [] });
  }
  return out;
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

/**
 * Source files that stay: the legacy modules, their frozen copies and the files the manifest's
 * `deletions` delete whole are what remove-shim deletes, not users. Extensionless Node scripts
 * (`bin/www`) stay too: no phase edits them, but a legacy module they require is in use.
 */
export function userFiles(snapshot: RepoSnapshot, owners: ReadonlyMap<string, readonly string[]> = resolvedOwners(snapshot)): string[] {
  const deleted = new Set(snapshot.manifest.deletions.filter((d) => d.declaration === undefined).map((d) => d.path));
  return [...snapshot.candidates, ...snapshot.nodeScripts].filter((f) => !isFrozenFile(f) && !owners.has(moduleIdOf(f)) && !deleted.has(f));
}

/**
 * The lines of the declarations the manifest's `deletions` schedule (`declaration`), and of the
 * imports only they use, per file: what remove-shim deletes, so no gate counts a legacy import or
 * a marker there.
 */
export function scheduledDeclarationLines(snapshot: RepoSnapshot): Map<string, Array<{ from: number; to: number }>> {
  const out = new Map<string, Array<{ from: number; to: number }>>();
  for (const d of snapshot.manifest.deletions) {
    if (d.declaration === undefined) continue;
    const text = snapshot.read(d.path);
    const spans = text === undefined ? undefined : declarationLines(d.path, text, d.declaration);
    if (spans) out.set(d.path, [...(out.get(d.path) ?? []), ...spans]);
  }
  return out;
}

/** What remove-shim deletes of a file that stays (a scheduled declaration's lines): no gate counts an import or a marker there. */
function keptLines(snapshot: RepoSnapshot): (i: { file: string; line: number }) => boolean {
  const scheduled = scheduledDeclarationLines(snapshot);
  return (i) => !scheduled.get(i.file)?.some((s) => i.line >= s.from && i.line <= s.to);
}

/** The legacy imports of `files` (files that stay), through the repo's resolver: the one search the gate and discover share. */
function importsOf(snapshot: RepoSnapshot, files: readonly string[], read: (f: string) => string | undefined, owners: ReadonlyMap<string, readonly string[]>, kept: (i: { file: string; line: number }) => boolean): LegacyImport[] {
  return findLegacyImports(files, read, snapshot.resolver, owners, reachTokens(owners.keys(), snapshot.resolver, snapshot.resolverData)).filter(kept);
}

/**
 * The legacy imports of the extensionless Node scripts (`bin/www`): code that stays and that no
 * phase edits, so the legacy modules they reach stay in use until a person changes them. The same
 * answer remove-shim's gate counts (legacyUse), for discover to list before any phase runs.
 */
export function nodeScriptImports(snapshot: RepoSnapshot, read: (file: string) => string | undefined = (f) => snapshot.read(f)): LegacyImport[] {
  const scripts = new Set(snapshot.nodeScripts);
  // most repos have none: then nothing else is listed or parsed (the scheduled deletions' lines)
  if (scripts.size === 0) return [];
  const owners = resolvedOwners(snapshot);
  return importsOf(snapshot, userFiles(snapshot, owners).filter((f) => scripts.has(f)), read, owners, keptLines(snapshot));
}

export async function legacyUse(snapshot: RepoSnapshot, opts: LegacyUseOptions = {}): Promise<LegacyUseReport> {
  const owners = resolvedOwners(snapshot);
  const ids = deprecationIds(snapshot.manifest);
  const files = userFiles(snapshot, owners);
  // three passes over the same files (imports, markers, comments): each read once
  const read = snapshot.memoReader();
  const kept = keptLines(snapshot);
  const imports = importsOf(snapshot, files, read, owners, kept);
  const markers = todoMarkers(files, read)
    .filter(kept)
    .map((m) => {
      const concerns = markerIds(snapshot.manifest, m.about);
      return concerns ? { ...m, ids: concerns } : m;
    });
  const comments = legacyComments(files, read, repoVocabulary(snapshot), false).mentions.filter(kept);
  const scripts = globalScripts(snapshot, read);
  const report: LegacyUseReport = { ids, imports, markers, verdicts: new Map(), globalScripts: scripts, comments };
  if (opts.telemetry?.length) {
    const windowMs = opts.windowMs ?? DEFAULT_WINDOW_MS;
    report.telemetry = await telemetryVerdicts(snapshot.repo, ids, { telemetry: opts.telemetry, windowMs, ...(opts.now !== undefined ? { now: opts.now } : {}) });
    report.windowMs = windowMs;
  }
  const byId = report.telemetry ? new Map(report.telemetry.verdicts.map((v) => [v.id, v])) : undefined;
  for (const id of ids) {
    report.verdicts.set(
      id,
      verdictFor(id, {
        imports,
        markers,
        globalScripts: scripts,
        ...(byId ? { telemetry: byId, windowMs: report.windowMs! } : {}),
        ...(opts.withoutTelemetry !== undefined ? { withoutTelemetry: opts.withoutTelemetry } : {}),
        ...(opts.noTelemetryHint ? { noTelemetryHint: opts.noTelemetryHint } : {}),
      }),
    );
  }
  return report;
}
