/** Public surface of codemods/remove-adapters: the phase-4 plan. */
import type { PhasePlan, ReviewItem } from '../phase/types.js';
import { countEdits } from '../phase/report.js';
import type { RepoSnapshot } from '../snapshot/snapshot.js';
import { processFile } from '../engine/process.js';
import { makeRuntime, prefilter } from '../engine/transform.js';
import { guardTypes, type GuardedChange } from '../engine/type-guard.js';
import { collectGarbage } from '../engine/memory.js';
import { changeKinds } from '../engine/change-kinds.js';
import { parsableChanges } from '../engine/output-parse.js';
import { rewriteImportsTransform } from '../rewrite-imports/transform.js';
import { removeDeadReferences } from '../rewrite-imports/dead-references.js';
import { hasTodoMarker, resolvedOwners } from '../legacy-use/index.js';
import { frozenPathOf, isFacadeText, isFrozenFile, legacyModuleIds, moduleFiles } from '../strangle/index.js';
import { analyzeRemoveAdapters } from './analyze.js';
import { lookupMarksPhrase } from './lookup-marks.js';
import { legacyCalls, planWithSplits } from './split.js';

export { analyzeRemoveAdapters, removeAdaptersTokens } from './analyze.js';

/** How the phase's commit subject counts the call chains it threaded a context through. */
function threadedPhrase(n: number): string {
  return `threaded ${n} call chain(s)`;
}

/** The call chains a remove-adapters commit subject says it threaded (0 when it names none): the reader of threadedPhrase. */
export function threadedChainsIn(subject: string): number {
  return Number(/threaded (\d+) call chain\(s\)/.exec(subject)?.[1] ?? 0);
}
export { fillTemplate } from '../../manifest/templates.js';
export { Analyzer, planFile, type AnalysisResult, type FileChange } from './plan-file.js';

/**
 * Phase 4 planner (PhasePlanner). The legacy modules themselves (facades or not), frozen files
 * and the files the manifest's `deletions` delete are not call sites: remove-shim deletes them. Each file's change is this phase's
 * edits plus the import rewrite they unblock; a file whose combined change would add a type
 * error falls back to this phase's edits alone, and if that fails too it is withdrawn whole
 * and listed as needing review with the error (never a broken tree).
 */
export async function planRemoveAdapters(snapshot: RepoSnapshot): Promise<PhasePlan> {
  const { manifest } = snapshot;
  const read = (f: string) => snapshot.read(f);
  // JavaScript call sites too: a plain JavaScript backend's calls are rewritten like TypeScript ones
  const candidates = snapshot.candidates.filter((f) => !f.endsWith('.d.ts'));
  const legacy = new Set(moduleFiles(legacyModuleIds(manifest), candidates).values());
  // a file the manifest's `deletions` delete whole goes at remove-shim: not a call site (rewriting
  // it, or listing its reads of the legacy class as needing review, is work on a file that goes)
  const deleted = new Set(manifest.deletions.filter((d) => d.declaration === undefined).map((d) => d.path));
  const files = candidates.filter((f) => !legacy.has(f) && !isFrozenFile(f) && !deleted.has(f) && !isFacadeText(read(f) ?? ''));
  await snapshot.project([]); // loads ts-morph once; the analysis adds the files it needs
  // a split class's members that do not stay leave it once their uses are rewritten (planned again
  // with a member kept when a member that stays still needs it: split.ts, widenedSplits)
  // (a member legacy code still reads stays until remove-shim deletes that code: it must compile till
  // then; frozen bodies are outside the candidates, strangle excludes them from the scan)
  const legacyCode = manifest.splits.length ? [...legacy].flatMap((f) => [f, frozenPathOf(f)]).filter((f) => read(f) !== undefined) : [];
  const { result: r, split } = planWithSplits(manifest, (m) => analyzeRemoveAdapters(snapshot.repo, m, files, read, (fs) => snapshot.loadedProject(fs), (fs) => snapshot.filesReaching(fs)), { files, read, legacyCalls: legacyCalls(manifest.splits, legacyCode, read) });
  snapshot.releaseProject(); // the analysis is texts now; the guard's program replaces it
  collectGarbage();
  if (split) {
    const replaced = new Set(split.changes.map((c) => c.file));
    r.changes = [...r.changes.filter((c) => !replaced.has(c.file)), ...split.changes];
    r.needsReview.push(...split.needsReview);
  }
  // a file whose cast names the legacy class of a still-legacy instance keeps its legacy type imports
  const combined = withImportRewrites(snapshot, files.filter((f) => !r.heldBack?.has(f)), read, r.changes);
  for (const c of r.changes) if (r.heldBack?.has(c.file)) combined.push(c);
  const first = guardTypes(snapshot, combined);
  // a file whose combined change was withdrawn may still take this phase's own edits alone
  // (its imports then stay for a person to finish, e.g. beside a TODO(ssot) call)
  const fallbacks = first.reverted.flatMap((w) => r.changes.filter((c) => c.file === w.change.file && c.after !== w.change.after));
  const guard = fallbacks.length ? guardTypes(snapshot, [...first.kept, ...fallbacks]) : first;
  const needsReview: ReviewItem[] = [...r.needsReview];
  const keptFiles = new Set(guard.kept.map((c) => c.file));
  for (const w of [...first.reverted, ...(guard === first ? [] : guard.reverted)]) {
    if (keptFiles.has(w.change.file) || needsReview.some((n) => n.file === w.change.file && n.message.startsWith('rewrite withdrawn'))) continue;
    needsReview.push({ file: w.change.file, line: 1, message: `rewrite withdrawn, it would add a type error: ${w.error}` });
  }
  // a file withdrawn with no-context calls in it keeps their TODO markers (comments add no type error)
  const marked = [...new Set([...first.reverted, ...guard.reverted].map((w) => w.change.file))].filter((f) => !keptFiles.has(f) && r.markers?.has(f));
  for (const f of marked) needsReview.push(...r.markers!.get(f)!.items);
  const planned = wholeObjectManagers(withoutFalseCasts([...guard.kept, ...marked.map((f) => ({ file: f, before: read(f) ?? '', after: r.markers!.get(f)!.after }))], r.castSources, needsReview), r.objectUses, r.objectRewrites, manifest, needsReview);
  // the import rewrite and the fallbacks above produce texts too: none that does not parse is written (engine/output-parse.ts)
  const { kept, refused } = parsableChanges(planned);
  const problems = [...r.problems, ...refused];
  // every count says what the written files' diff shows (engine/change-kinds.ts), not what the plan meant to do
  const kinds = new Map(kept.map((c) => [c.file, changeKinds(c.file, c.before, c.after)]));
  const rewritten = kept.filter((c) => kinds.get(c.file)!.code).length;
  const importLists = kept.filter((c) => kinds.get(c.file)!.imports).length;
  // a file withdrawn with its markers kept, or whose uses could only be marked, holds comments alone
  const markedOnly = kept.filter((c) => !kinds.get(c.file)!.code && !kinds.get(c.file)!.imports && markerLines(c.after) > markerLines(c.before)).length;
  const keptAfter = new Map(kept.map((c) => [c.file, c.after]));
  // members the commit removes: only from a split file written with its rewrite (withdrawn, or with its markers only, it keeps them declared)
  const dropped = [...(split?.droppedIn ?? [])].flatMap(([f, names]) => (keptAfter.has(f) && keptAfter.get(f) !== r.markers?.get(f)?.after ? names : []));
  // chains threaded in a written file: not in one withdrawn (the guard, a false cast, an object manager) nor written with its markers only
  const threadedKept = [...(r.markers ?? [])].reduce((n, [f, m]) => (keptAfter.has(f) && keptAfter.get(f) !== m.after ? n + m.threaded : n), 0);
  const threaded = threadedKept > 0 ? `; ${threadedPhrase(threadedKept)}` : '';
  const lookups = lookupMarksPhrase(r.lookupMarks ?? [], keptAfter);
  return {
    phase: 'remove-adapters',
    writes: kept.map((c) => ({ path: c.file, content: c.after })),
    edits: kept.reduce((n, c) => n + countEdits(c.before, c.after), 0),
    summary: kept.length
      ? `${dropped.length ? `split class member(s) removed: ${dropped.join(', ')}; ` : ''}legacy uses rewritten from the manifest's ${sourcesOf(manifest)} in ${rewritten} file(s); import lists rewritten with them in ${importLists} file(s)${markedOnly ? `; TODO(ssot) markers only in ${markedOnly} file(s)` : ''}${threaded}${lookups}`
      : r.changes.length
        ? // calls were found, but every file's rewrite was withdrawn: saying none are left would be false
          `nothing rewritten: the rewrites planned in ${new Set(r.changes.map((c) => c.file)).size} file(s) were all withdrawn (needs review says why); their legacy uses stay`
        : 'no adapter or legacy factory call left to rewrite',
    needsReview,
    problems,
  };
}


/** The TODO(ssot) marker lines of a text. */
function markerLines(text: string): number {
  return text.split('\n').filter(hasTodoMarker).length;
}

/**
 * The manifest tables this phase rewrites from that have entries, for the commit summary: it used
 * to say "adapters unwrapped, legacy members rewritten from classes[] and factory calls made
 * per-context" whatever the manifest held (JeLLek1/PIM-chess-app has only functions[]).
 */
function sourcesOf(manifest: RepoSnapshot['manifest']): string {
  const names = [
    manifest.adapters.length ? 'adapters' : '',
    manifest.classes.length ? 'classes[]' : '',
    manifest.functions.length ? 'functions[]' : '',
    manifest.instances?.length ? 'instances[]' : '',
    manifest.constructions?.length ? 'constructions[]' : '',
    manifest.factory?.entries.length ? 'factory entries' : '',
  ].filter((n) => n !== '');
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}` : (names[0] ?? 'tables');
}

/**
 * A cast retyped to a constructions[] type is true only if the construction it reads was
 * rewritten too: when the type guard withdrew a file holding such a construction, the files whose
 * casts read it are withdrawn as well (else they would claim a canonical value the place does not hold).
 */
function withoutFalseCasts(kept: GuardedChange[], castSources: ReadonlyMap<string, ReadonlySet<string>> | undefined, needsReview: ReviewItem[]): GuardedChange[] {
  if (!castSources?.size) return kept;
  let out = kept;
  // a withdrawn reader may itself hold a construction another reader reads: until nothing changes
  for (;;) {
    const files = new Set(out.map((c) => c.file));
    const stale = out.filter((c) => [...(castSources.get(c.file) ?? [])].some((src) => src !== c.file && !files.has(src)));
    if (!stale.length) return out;
    for (const c of stale) {
      const missing = [...castSources.get(c.file)!].filter((src) => !files.has(src));
      needsReview.push({ file: c.file, line: 1, message: `rewrite withdrawn with ${missing.join(', ')}: its casts would take the constructions[] type of an instance that file still builds as legacy` });
    }
    out = out.filter((c) => !stale.includes(c));
  }
}

/**
 * An object manager (a `classes[]` entry naming a const that holds an object literal) keeps its
 * state in its module (its `Map` of sockets), which the hub does not share: a call left on it runs
 * the legacy object whenever the shim serves it from legacy code (its id in legacy mode, a
 * rollback, or no template for a member). Rewriting some files' calls to the hub while another file's stay — its
 * rewrite withdrawn by the type guard, or a use marked — would split one registry in two (a
 * socket registered on the hub is not sent to by a legacy `notify`). So its calls move in every
 * file or in none: when one file keeps a use, the others' changes are withdrawn too and said why.
 * A file that keeps every use it has (each marked) moves nothing: its markers are written.
 */
function wholeObjectManagers(kept: GuardedChange[], objectUses: ReadonlyMap<string, ReadonlyMap<string, boolean>> | undefined, objectRewrites: ReadonlyMap<string, ReadonlySet<string>> | undefined, manifest: RepoSnapshot['manifest'], needsReview: ReviewItem[]): GuardedChange[] {
  if (!objectUses?.size) return kept;
  let out = kept;
  // withdrawing a file for one manager may leave another manager's use in it: until nothing changes
  for (;;) {
    const files = new Set(out.map((c) => c.file));
    const stale = new Map<string, string>();
    for (const [key, byFile] of objectUses) {
      const left = [...byFile].filter(([f, markedUse]) => markedUse || !files.has(f)).map(([f]) => f);
      if (!left.length) continue;
      const [module, name] = key.split('#') as [string, string];
      const i = manifest.classes.findIndex((c) => c.module === module && c.class === name);
      // a file whose every use of it is marked moves none of its calls: its markers stay written
      const rewrites = objectRewrites?.get(key);
      for (const f of byFile.keys()) if (files.has(f) && !stale.has(f) && (rewrites === undefined || rewrites.has(f))) stale.set(f, `rewrite withdrawn with ${left.join(', ')}: ${name} (ssot.config.json classes[${i}]) is an object literal over its module's state, and a use of it stays there; moving this file's calls to the hub while the legacy object may still serve that use would split its state in two stores (sockets registered on one are not sent to by the other), so its calls move together once every file's can`);
    }
    if (!stale.size) return out;
    for (const [file, message] of stale) needsReview.push({ file, line: 1, message });
    out = out.filter((c) => !stale.has(c.file));
  }
}

/**
 * rewrite-imports withdraws a file whose legacy values would not fit the canonical types
 * (a legacy factory still returns a legacy manager); once this phase has made the factory
 * calls per-context, the same import rewrite fits. So every candidate's text after this
 * phase's edits goes through rewrite-imports once more, and the type guard then judges the
 * combined change per file (both or neither).
 */
function withImportRewrites(snapshot: RepoSnapshot, files: readonly string[], read: (f: string) => string | undefined, changes: readonly GuardedChange[]): GuardedChange[] {
  const byFile = new Map(changes.map((c) => [c.file, c]));
  const rt = makeRuntime(snapshot.context);
  // re-exports of legacy names nothing imports go first: what stays is then rewritten (or dead)
  const editable = new Set(files);
  const current = (f: string): string | undefined => byFile.get(f)?.after ?? read(f);
  const dead = new Map(removeDeadReferences({ files: snapshot.candidates, editable: (f) => editable.has(f), read: current, resolver: snapshot.resolver, resolverData: snapshot.resolverData, legacy: new Set(resolvedOwners(snapshot).keys()), publicApi: snapshot.manifest.publicApi }).map((c) => [c.file, c.after]));
  const out: GuardedChange[] = [];
  for (const file of files) {
    const before = byFile.get(file)?.before ?? read(file);
    if (before === undefined) continue;
    const mid = dead.get(file) ?? byFile.get(file)?.after ?? before;
    const p = prefilter(rewriteImportsTransform, mid, rt) ? processFile(file, mid, rewriteImportsTransform, rt) : undefined;
    const after = p?.after ?? mid;
    if (after !== before) out.push({ file, before, after });
  }
  return out;
}
