/**
 * A syntax transform (engine/transform.ts) over the snapshot's candidates as a planning step:
 * read, prefilter, parse, splice (in process or on workers), then optionally the type guard,
 * which withdraws, in groups of files whose new errors come from each other, a change that would
 * add a type error.
 */
import { runSyntaxPhase, type SyntaxRunFile } from '../engine/run.js';
import { isSpilled, spilledView } from '../engine/spill.js';
import type { FileReport } from '../engine/types.js';
import type { RepoSnapshot } from '../snapshot/snapshot.js';
import type { FileWrite } from './types.js';

export interface SyntaxChange {
  file: string;
  before: string;
  after: string;
  /** As the thread that transformed the file computed it (engine/diff.ts createDiffFromEdits). */
  diff?: string;
  edits?: number;
}

export interface SyntaxChanges {
  files: FileReport[];
  /** On a large run, views whose texts are read back from a spill file on access (engine/spill.ts). */
  changes: SyntaxChange[];
  scanned: number;
  parsed: number;
}

export async function planSyntaxTransform(snapshot: RepoSnapshot, transformName: string, opts: { workers?: number; typeGuard?: boolean; onProgress?: (done: number, total: number) => void } = {}): Promise<SyntaxChanges> {
  const git = snapshot.takeGitPrefilter();
  const run = await runSyntaxPhase({
    repoDir: snapshot.repo,
    transformName,
    ctx: snapshot.context,
    files: snapshot.candidates,
    ...(git !== undefined ? { gitPrefilter: git } : {}),
    ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  let changes = changesOf(run.files);
  const files = run.files.map((f) => f.report);
  if (opts.typeGuard === true) changes = await guardSyntaxChanges(snapshot, changes, files);
  return { files, changes, scanned: run.scanned, parsed: run.parsed };
}

/** The type guard over a syntax run's changes: the ones it keeps; a withdrawn file's report says why. */
export async function guardSyntaxChanges(snapshot: RepoSnapshot, changes: SyntaxChange[], files: FileReport[]): Promise<SyntaxChange[]> {
  // loaded on use: a run without the guard (--no-type-guard, the bench) does not load it
  const { guardTypes } = await import('../engine/type-guard.js');
  const guard = guardTypes(snapshot, changes);
  for (const r of guard.reverted) {
    const rep = files.find((x) => x.file === r.change.file)!;
    rep.status = 'skipped';
    rep.reason = `change withdrawn: it would add a type error (${r.error})`;
  }
  return guard.kept;
}

/** Which field of a spilled result or change each view's text field reads (one object for every view). */
const CHANGE_OF_RESULT = { before: 'before', after: 'after', diff: 'diff' } as const;
const WRITE_OF_CHANGE = { content: 'after', before: 'before', diff: 'diff' } as const;

/** The changed files of a run, spilled texts still unread (engine/spill.ts: a copy would read them all here). */
export function changesOf(files: readonly SyntaxRunFile[]): SyntaxChange[] {
  return files
    .filter((f) => isSpilled(f) || (f.after !== undefined && f.before !== undefined))
    .map((f) => {
      const fields = { file: f.report.file, ...(f.edits !== undefined ? { edits: f.edits } : {}) };
      if (isSpilled(f)) return spilledView(f, CHANGE_OF_RESULT, fields) as SyntaxChange;
      return { ...fields, before: f.before!, after: f.after!, ...(f.diff !== undefined ? { diff: f.diff } : {}) };
    });
}

/** The plan's writes for `changes`, with spilled texts still read on access (engine/spill.ts). */
export function writesOf(changes: readonly SyntaxChange[]): FileWrite[] {
  return changes.map((c) =>
    isSpilled(c)
      ? (spilledView(c, WRITE_OF_CHANGE, { path: c.file }) as FileWrite)
      : { path: c.file, content: c.after, before: c.before, ...(c.diff !== undefined ? { diff: c.diff } : {}) },
  );
}
