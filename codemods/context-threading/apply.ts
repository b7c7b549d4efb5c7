/**
 * Threading applied to a ts-morph project in place, for a phase that goes on asking the checker
 * about the threaded code (remove-adapters then finds the new parameter in scope by type). The
 * disk texts before and after are kept per file (a BOM as the file had it).
 */
import type { CallExpression, Project } from 'ts-morph';
import { applyEdits } from '../engine/edits.js';
import type { Edit } from '../engine/types.js';
import { boundaryMessage } from './chain.js';
import { threadContext } from './thread.js';
import type { SiteOutcome, ThreadOptions } from './types.js';

export interface AppliedThreading {
  /** Per repo-relative file threading changed: the disk text before and after. */
  files: Map<string, { before: string; after: string }>;
  outcomes: SiteOutcome[];
  threaded: number;
  edits: number;
  /** The review message for a site a boundary stopped, looked up by the call in the changed project. */
  boundaryNote(call: CallExpression): string | undefined;
}

export function threadInProject(project: Project, sites: readonly CallExpression[], opts: ThreadOptions, read: (file: string) => string | undefined): AppliedThreading {
  const r = threadContext(project, sites, opts);
  const files = new Map<string, { before: string; after: string }>();
  const editsOf = new Map<string, readonly Edit[]>();
  // boundary sites, re-found after their files change: by file and shifted offset
  const notes = new Map<string, string>();
  for (const o of r.outcomes) if (o.boundary !== undefined) notes.set(`${o.file}:${o.call.getStart()}`, boundaryMessage(o, opts.manifest.canonical.contextType ?? 'context'));
  let edits = 0;
  for (const [file, es] of r.edits) {
    const before = read(file);
    const sf = project.getSourceFile(`${opts.root}/${file}`);
    if (before === undefined || !sf) continue;
    const text = applyEdits(sf.getFullText(), es);
    sf.replaceWithText(text);
    files.set(file, { before, after: (before.charCodeAt(0) === 0xfeff ? '\uFEFF' : '') + text });
    editsOf.set(file, es);
    edits += es.length;
  }
  const shifted = new Map<string, string>();
  for (const [key, note] of notes) {
    const cut = key.lastIndexOf(':');
    const file = key.slice(0, cut);
    const offset = Number(key.slice(cut + 1));
    const delta = (editsOf.get(file) ?? []).filter((e) => e.end <= offset).reduce((n, e) => n + e.text.length - (e.end - e.start), 0);
    shifted.set(`${file}:${offset + delta}`, note);
  }
  return {
    files,
    outcomes: r.outcomes,
    threaded: r.threaded,
    edits,
    boundaryNote: (call) => shifted.get(`${call.getSourceFile().getFilePath().slice(opts.root.length + 1)}:${call.getStart()}`),
  };
}
