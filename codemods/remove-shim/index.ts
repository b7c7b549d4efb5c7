/**
 * Phase 5, remove-shim: when every deprecation id is safe to delete (codemods/legacy-use: no
 * import of a legacy module in any form, no TODO(ssot) marker, and the telemetry verdict
 * *unused* — processes with the strangled code loaded covered the whole window and recorded no
 * call), delete every facade and frozen file. The telemetry source and window are phase options
 * (`run remove-shim --telemetry DIR|prometheus+http://HOST:PORT --window 30d`). *in use* and
 * *unknown* refuse, with the coverage behind them. Without telemetry it refuses, unless a person
 * gives `--without-telemetry "<reason>"`; the reason goes into the commit's trailers, as does the
 * evidence the gate opened on. Both together: the telemetry still judges every id — *in use*
 * always refuses — and the reason stands for the ids it cannot see (*unknown*: e.g. an id whose
 * facade exports only types or unwrapped values, which no process can report as called).
 * The manifest's `deletions` go in the same commit: whole files, and single top-level
 * declarations (declarations.ts), refused while code that stays imports or uses them.
 */
import { formatDuration } from '../../shim/duration.js';
import { withoutArrayElement } from '../engine/json-list.js';
import { moduleIdOf } from '../engine/module-id.js';
import { parseSource } from '../engine/parse.js';
import { lineColumn } from '../engine/text.js';
import ts from '../engine/ts-api.js';
import { fileOfModule } from '../move-declarations/index.js';
import { describeMention, findLegacyImports, legacyComments, legacyUse, reachTokens, repoVocabulary, resolvedOwners, scheduledDeclarationLines, userFiles, type CommentMention, type LegacyUseOptions } from '../legacy-use/index.js';
import { planDeclarationDeletions } from './declarations.js';
import { constructionHint } from './constructions-hint.js';
import { dropSplitMembers } from '../remove-adapters/split.js';
import { REMOVE_SHIM_TRAILERS } from './trailers.js';
import type { FileWrite, PhasePlan, ReviewItem } from '../phase/types.js';
import type { RepoSnapshot } from '../snapshot/snapshot.js';
// layout.js, not the strangle index: the index loads ts-morph, which remove-shim never needs.
import { frozenPathOf, isFrozenFile, legacyModuleIds, moduleFiles } from '../strangle/layout.js';

export { REMOVE_SHIM_TRAILERS };

export interface RemoveShimOptions {
  /** Telemetry JSONL files or directories (repo-relative or absolute), or one prometheus+http://HOST:PORT[?job=NAME]. */
  telemetry?: string[];
  /** The window the telemetry must cover with no call (default 30 days). */
  windowMs?: number;
  /**
   * No telemetry, and why: the gate opens on imports and markers alone and the commit records the
   * reason. With `telemetry` too, the reason covers only the ids the telemetry says *unknown*.
   */
  withoutTelemetry?: string;
  /** Clock for the window (tests). */
  now?: () => number;
}


const list = (items: ReadonlyArray<{ file: string; line: number; message: string }>, n = 8): string =>
  items.slice(0, n).map((i) => `${i.file}:${i.line} ${i.message}`).join('; ') + (items.length > n ? `; … ${items.length - n} more` : '');

const NO_TELEMETRY_HINT = 'pass --telemetry DIR|prometheus+http://HOST:PORT [--window 30d], or --without-telemetry "<reason>" to delete without it (the reason goes into the commit)';
const UNKNOWN_HINT = 'wait for coverage of the whole window, or give --without-telemetry "<reason>" beside --telemetry to accept the unknown ids on your word (recorded in the commit; in use always refuses)';

export async function planRemoveShim(snapshot: RepoSnapshot, opts: RemoveShimOptions = {}): Promise<PhasePlan> {
  const legacy = moduleFiles(legacyModuleIds(snapshot.manifest), snapshot.repoFiles);
  const base = { phase: 'remove-shim', writes: [] as FileWrite[], edits: 0, needsReview: [] as ReviewItem[], problems: [] as ReviewItem[] };
  const reason = opts.withoutTelemetry?.replace(/\s+/g, ' ').trim();
  if (opts.withoutTelemetry !== undefined && !reason) return { ...base, summary: 'no reason given', refusal: '--without-telemetry needs a reason: why is there no telemetry to judge the legacy code by?' };

  const useOpts: LegacyUseOptions = {
    ...(opts.telemetry?.length ? { telemetry: opts.telemetry } : {}),
    ...(opts.windowMs !== undefined ? { windowMs: opts.windowMs } : {}),
    ...(reason && !opts.telemetry?.length ? { withoutTelemetry: reason } : {}),
    noTelemetryHint: NO_TELEMETRY_HINT,
    now: (opts.now ?? Date.now)(),
  };
  // a file the manifest deletes must not be imported by one that stays
  const deletions = snapshot.manifest.deletions.filter((d) => d.declaration === undefined && snapshot.read(d.path) !== undefined);
  if (deletions.length) {
    const owners = new Map(deletions.map((d) => [moduleIdOf(d.path), [d.path]]));
    const scheduled = scheduledDeclarationLines(snapshot);
    const importers = findLegacyImports(userFiles(snapshot, resolvedOwners(snapshot)), (f) => snapshot.read(f), snapshot.resolver, owners, reachTokens(owners.keys(), snapshot.resolver, snapshot.resolverData))
      .filter((i) => !scheduled.get(i.file)?.some((s) => i.line >= s.from && i.line <= s.to));
    if (importers.length) {
      const items = importers.map((i) => ({ file: i.file, line: i.line, message: `imports ${i.ids[0]} ('${i.specifier}'), which the manifest's deletions delete` }));
      return { ...base, summary: 'a file to delete is still imported', needsReview: items, refusal: `${items.length} import(s) of files listed in deletions remain: ${list(items)}` };
    }
  }
  // a declaration the manifest deletes must not be used by code that stays
  const decls = planDeclarationDeletions(snapshot);
  if (decls.refusals.length) return { ...base, summary: 'a declaration to delete is still used', needsReview: decls.refusals, refusal: `${decls.refusals.length} use(s) of declarations listed in deletions remain: ${list(decls.refusals)}` };
  const use = await legacyUse(snapshot, useOpts);

  if (use.imports.length) {
    const items = use.imports.map((i) => {
      const hint = constructionHint(snapshot.manifest, i.file, snapshot.read(i.file) ?? '', i.line);
      return { file: i.file, line: i.line, message: `still imports legacy module ${i.module} ('${i.specifier}')${hint ? `; ${hint}` : ''}` };
    });
    return { ...base, summary: 'legacy modules still in use', needsReview: items, refusal: `${items.length} import(s) of legacy modules remain: ${list(items)}` };
  }
  if (use.markers.length) return { ...base, summary: 'TODO(ssot) markers remain', needsReview: use.markers, refusal: `${use.markers.length} TODO(ssot) marker(s) remain: ${list(use.markers)}` };
  // a legacy global script strangle refused (the same decision, strangle/refusal.ts; the verdict's
  // scripts check): its globals are used by name, with no import the gate above could see and no
  // facade to report a call
  const scripts = use.globalScripts.map((s) => ({ file: s.file, line: s.line, message: s.reason }));
  if (scripts.length) return { ...base, summary: 'a legacy module is a global script', needsReview: scripts, refusal: `${scripts.length} legacy module(s) are global scripts, which strangle refused and the gate cannot judge: ${list(scripts)}` };
  // a split class still declaring a member it does not keep still owns part of the socket layer.
  // remove-adapters leaves it when legacy code this phase deletes still calls it (a frozen body
  // calling the split class's socket members: swarmstarv2's WebSocketService over WebSocketServer,
  // whose rewrite the type guard withdrew); with that code gone it goes here, in the same commit
  // (verified like the rest). One the class's kept members still use stays, and refuses.
  const unsplit = splitLeftovers(snapshot);
  const finished = unsplit.length ? dropSplitMembers({ splits: snapshot.manifest.splits, files: snapshot.candidates, read: (f) => snapshot.read(f), changes: [], marked: new Map() }) : undefined;
  if (finished?.needsReview.length) return { ...base, summary: 'a split class still has members it does not keep', needsReview: [...unsplit, ...finished.needsReview], refusal: `${unsplit.length} member(s) of split classes not kept remain (remove-adapters deletes them once their uses are rewritten): ${list(unsplit)}` };
  if (!use.telemetry && !reason) return { ...base, summary: 'no telemetry', refusal: `no telemetry given: remove-shim deletes only when the telemetry shows every deprecation id unused over the window; ${NO_TELEMETRY_HINT}` };

  // every id's verdict is the same one the dashboard, status and review show (legacy-use/verdict.ts)
  // with a reason given beside telemetry, an *unknown* id is accepted on the reason; *in use* never is
  const onReason = reason && use.telemetry ? [...use.verdicts].filter(([, v]) => !v.safe && v.telemetry?.verdict === 'unknown').map(([id]) => id) : [];
  const unsafe = [...use.verdicts].filter(([id, v]) => !v.safe && !onReason.includes(id));
  if (unsafe.length) {
    const t = use.telemetry!;
    const counts = (['in use', 'unknown'] as const).map((k) => `${unsafe.filter(([, v]) => v.telemetry?.verdict === k).length} ${k}`).join(', ');
    const head = `telemetry (${t.source}, window ${formatDuration(use.windowMs!)} ending ${t.window.to}): ${counts}; only unused lets remove-shim delete${onReason.length ? ` (${onReason.length} unknown id(s) accepted on the reason given)` : ''}`;
    const lines = unsafe.map(([id, v]) => `${id}: ${v.checks.filter((c) => c.status === 'fail').map((c) => c.detail).join('; ')}`);
    const notes = t.notes.map((n) => `note: ${n}`);
    if (unsafe.some(([, v]) => v.telemetry?.verdict === 'unknown')) notes.push(UNKNOWN_HINT);
    return { ...base, summary: 'legacy use not ruled out', refusal: [head, ...lines, ...notes].join('\n') };
  }

  let evidence: string;
  const trailers: Record<string, string> = {};
  if (use.telemetry) {
    const t = use.telemetry;
    const runs = new Set(t.verdicts.flatMap((v) => v.coverage.instances.map((i) => i.key))).size;
    const unused = t.verdicts.length - onReason.length;
    const accepted = onReason.length ? `, ${onReason.length} unknown accepted on the reason given (${onReason.join(', ')})` : '';
    evidence = `telemetry: ${unused} id(s) unused over ${formatDuration(use.windowMs!)}, covered by ${runs} run(s)${accepted}`;
    trailers[REMOVE_SHIM_TRAILERS.telemetry] = `${unused} id(s) unused${accepted}; window ${formatDuration(use.windowMs!)} ${t.window.from}..${t.window.to}; ${runs} run(s); source ${t.source}`;
    trailers[REMOVE_SHIM_TRAILERS.verdicts] = t.verdicts.map((v) => `${v.id} ${v.verdict} ${(v.coverage.ratio * 100).toFixed(1)}% by ${v.coverage.instances.length} run(s)`).join('; ');
    if (onReason.length) trailers[REMOVE_SHIM_TRAILERS.withoutTelemetry] = reason!;
  } else {
    evidence = `without telemetry: ${reason}`;
    trailers[REMOVE_SHIM_TRAILERS.withoutTelemetry] = reason!;
  }

  const writes: FileWrite[] = [];
  // a legacy module with no frozen body is not a facade: strangle left it as it was (it exported
  // nothing once moves/splits emptied it), and the commit subject says so rather than claim a facade
  const unfrozen: string[] = [];
  for (const file of legacy.values()) {
    writes.push({ path: file, content: null });
    if (snapshot.read(frozenPathOf(file)) !== undefined) writes.push({ path: frozenPathOf(file), content: null });
    else unfrozen.push(file);
  }
  for (const d of deletions) writes.push({ path: d.path, content: null });
  for (const [path, content] of decls.writes) writes.push({ path, content, before: snapshot.read(path)! });
  for (const c of finished?.changes ?? []) writes.push({ path: c.file, content: c.after, before: c.before });
  const recorded = [...deletions, ...decls.deleted];
  if (recorded.length) trailers[REMOVE_SHIM_TRAILERS.deletions] = recorded.map((d) => `${d.path}${d.declaration ? `#${d.declaration}` : ''} (${d.reason.replace(/\s+/g, ' ').trim()})`).join('; ');
  // exclude entries naming a deleted file go with it: the frozen files in the manifest, the
  // deletions (a file that never compiled was excluded) in the manifest and the tsconfig
  const dropFrom = (config: string, key: string, paths: readonly string[]): void => {
    const text = snapshot.read(config);
    if (text === undefined) return;
    const next = paths.reduce((t, p) => withoutArrayElement(t, key, p), text);
    if (next !== text) writes.push({ path: config, content: next });
  };
  dropFrom('ssot.config.json', 'exclude', [...writes.filter((w) => isFrozenFile(w.path)).map((w) => w.path), ...deletions.map((d) => d.path)]);
  if (snapshot.manifest.tsconfig !== 'ssot.config.json') dropFrom(snapshot.manifest.tsconfig, 'exclude', deletions.map((d) => d.path));
  const removed = writes.filter((w) => w.content === null).length;
  // comments: once no code names legacy code, the docs that still do are the manifest's policy's
  // (after the gate: the commit is verified like any other, and the evidence above is unchanged);
  // a file whose declarations go is read as it will be
  const rewrite = snapshot.manifest.comments.legacyMentions === 'rewrite';
  const comments = legacyComments(userFiles(snapshot), (f) => decls.writes.get(f) ?? snapshot.read(f), repoVocabulary(snapshot), rewrite);
  const left: CommentMention[] = comments.left;
  if (rewrite) {
    for (const w of comments.writes) {
      const same = writes.find((x) => x.path === w.path);
      if (same) same.content = w.content;
      else writes.push(w);
    }
    if (comments.edits.length) trailers[REMOVE_SHIM_TRAILERS.commentEdits] = comments.edits.map((e) => `${e.file}:${e.line} ${e.message.replace(/\s+/g, ' ')}`).join('; ');
  }
  const mentionItems = left.map((m) => ({ file: m.file, line: m.line, message: `comment names ${describeMention(m)} (${m.text})${m.protected ? `; a ${m.protected}, never edited` : ''}` }));
  // nothing to say when no comment names legacy code (before or after)
  const commentsTouched = left.length > 0 || comments.edits.length > 0;
  if (commentsTouched) trailers[REMOVE_SHIM_TRAILERS.legacyMentions] = `${left.length} in comments (policy ${snapshot.manifest.comments.legacyMentions})${left.length ? `: ${list(mentionItems, left.length)}` : ''}`;
  const commentSummary = !commentsTouched ? '' : rewrite ? `; comments: ${comments.edits.length} edit(s) in ${comments.writes.length} file(s), ${left.length} legacy mention(s) left` : `; ${left.length} legacy mention(s) in comments (reported)`;
  const also = (deletions.length ? ` and ${deletions.length} file(s) the manifest deletes` : '') + (decls.deleted.length ? ` and ${decls.deleted.length} declaration(s) it deletes (${decls.deleted.map((d) => d.declaration).join(', ')})` : '');
  if (finished?.dropped.length) trailers[REMOVE_SHIM_TRAILERS.splitMembers] = finished.dropped.join(', ');
  const splitSummary = finished?.dropped.length ? `; split class member(s) removed with the legacy code that called them: ${finished.dropped.join(', ')}` : '';
  const edits = removed + decls.deleted.length + (finished?.dropped.length ?? 0);
  return {
    ...base,
    problems: decls.missing,
    writes,
    edits: edits + comments.edits.length,
    trailers,
    needsReview: mentionItems,
    summary: `${edits ? `deleted ${deletedModules(legacy.size - unfrozen.length, unfrozen)}${also}` : 'no legacy module left to delete'} (${evidence})${splitSummary}${commentSummary}`,
  };
}

/** What the legacy modules deleted were: facades over frozen bodies, and modules strangle left as they were (no frozen body). */
function deletedModules(facades: number, unfrozen: readonly string[]): string {
  const parts = [
    ...(facades || !unfrozen.length ? [`${facades} facade(s) and their frozen legacy code`] : []),
    ...(unfrozen.length ? [`${unfrozen.length} legacy module(s) with no facade or frozen body (${unfrozen.join(', ')})`] : []),
  ];
  return parts.join(' and ');
}

/** Members a split class (manifest `splits[]`) still declares in its app module that its entry does not keep. */
function splitLeftovers(snapshot: RepoSnapshot): ReviewItem[] {
  const out: ReviewItem[] = [];
  snapshot.manifest.splits.forEach((sp, i) => {
    const file = fileOfModule(snapshot.candidates, sp.to);
    const text = file === undefined ? undefined : snapshot.read(file);
    if (file === undefined || text === undefined) return;
    const { sf, error } = parseSource(file, text);
    if (error) return;
    const cls = sf.statements.find((st): st is ts.ClassDeclaration => ts.isClassDeclaration(st) && st.name?.text === sp.class);
    const keep = new Set(sp.keep);
    for (const m of cls?.members ?? []) {
      const name = m.name && (ts.isIdentifier(m.name) || ts.isPrivateIdentifier(m.name) || ts.isStringLiteral(m.name)) ? m.name.text : undefined;
      if (name === undefined || ts.isConstructorDeclaration(m) || keep.has(name)) continue;
      out.push({ file, line: lineColumn(text, m.getStart(sf)).line, message: `splits[${i}]: ${sp.class}.${name} is not kept and still declared` });
    }
  });
  return out;
}
