/**
 * Threading applied to a ts-morph project in place, for a phase that goes on asking the checker
 * about the threaded code (remove-adapters then finds the new parameter in scope by type). The
 * disk texts before and after are kept per file (a BOM as the file had it).
 */
import { ts, type Node, type Project, type SourceFile } from 'ts-morph';
import { detectEol } from '../engine/text.js';
import { applyEdits } from '../engine/edits.js';
import type { Edit } from '../engine/types.js';
import { boundaryMessage } from './chain.js';
import { markersOnly, type MarkedFile } from './markers.js';
import { threadContext } from './thread.js';
import type { ContextSite, SiteOutcome, ThreadOptions } from './types.js';

export interface AppliedThreading {
  /** Per repo-relative file threading changed: the disk text before and after. */
  files: Map<string, { before: string; after: string }>;
  outcomes: SiteOutcome[];
  /** Per file with threaded sites: the disk text with only their markers, for when the guard withdraws the threading. */
  markers: Map<string, MarkedFile>;
  threaded: number;
  edits: number;
  /**
   * For a site looked up in the changed project: the context a contextSources rule builds at it,
   * or the review message naming the chain to the boundary that stopped it.
   */
  noContext(site: Node): { text: string } | { missing: string } | undefined;
  /** Puts the threaded texts into the project (done already unless `defer` was asked for); once. */
  apply(): void;
}

/**
 * ts-morph writes a replaced text with one line ending (its manipulation setting): a file mixing
 * CRLF and LF could not keep its bytes, so threading treats it as a file it does not edit.
 */
function uniformEol(text: string | undefined): boolean {
  return text !== undefined && !(/\r\n/.test(text) && /(^|[^\r])\n/.test(text));
}

/**
 * `defer`: the texts are computed but go into the project only at `apply()`, so a caller can
 * first ask the checker about the files threading leaves as they are: changing the project
 * replaces its program, and the new checker resolves everything again.
 */
export function threadInProject(project: Project, sites: readonly ContextSite[], opts: ThreadOptions, read: (file: string) => string | undefined, { defer = false }: { defer?: boolean } = {}): AppliedThreading {
  const r = threadContext(project, sites, { ...opts, editable: (f) => opts.editable(f) && uniformEol(read(f)) });
  const markers = markersOnly(r.outcomes, read, opts.manifest.canonical.contextType ?? 'context');
  const files = new Map<string, { before: string; after: string }>();
  const editsOf = new Map<string, readonly Edit[]>();
  // boundary sites, re-found after their files change: by file and shifted offset
  const notes = new Map<string, { text: string } | { missing: string }>();
  for (const o of r.outcomes) {
    if (o.source !== undefined) notes.set(`${o.file}:${o.call.getStart()}`, { text: o.source });
    else if (o.boundary !== undefined) notes.set(`${o.file}:${o.call.getStart()}`, { missing: boundaryMessage(o, opts.manifest.canonical.contextType ?? 'context') });
  }
  let edits = 0;
  const replaced: Array<{ sf: SourceFile; text: string }> = [];
  for (const [file, es] of r.edits) {
    const before = read(file);
    const sf = project.getSourceFile(`${opts.root}/${file}`);
    if (before === undefined || !sf) continue;
    const text = applyEdits(sf.getFullText(), es);
    replaced.push({ sf, text });
    files.set(file, { before, after: (before.charCodeAt(0) === 0xfeff ? '\uFEFF' : '') + text });
    editsOf.set(file, es);
    edits += es.length;
  }
  let applied = false;
  const apply = (): void => {
    if (applied) return;
    applied = true;
    for (const { sf, text } of replaced) {
      const kind = project.manipulationSettings.getNewLineKind();
      project.manipulationSettings.set({ newLineKind: detectEol(text) === '\r\n' ? ts.NewLineKind.CarriageReturnLineFeed : ts.NewLineKind.LineFeed });
      sf.replaceWithText(text);
      project.manipulationSettings.set({ newLineKind: kind });
    }
  };
  if (!defer) apply();
  const shifted = new Map<string, { text: string } | { missing: string }>();
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
    markers,
    threaded: r.threaded,
    edits,
    apply,
    noContext: (call) => shifted.get(`${call.getSourceFile().getFilePath().slice(opts.root.length + 1)}:${call.getStart()}`),
  };
}
