/**
 * The fallback of a threaded site: when the type guard withdraws the threading with its file
 * (the rewritten call no longer fits, e.g. a legacy-only member), the site must not lose the
 * TODO(ssot) marker it would have had (nor may a boundary site). Computed on the unchanged project
 * (disk offsets).
 */
import { Node } from 'ts-morph';
import { hasTodoMarker, todoComment } from '../legacy-use/markers.js';
import type { ReviewItem } from '../phase/types.js';
import { applyEdits } from '../engine/edits.js';
import { detectEol, indentAt, lineColumn, lineStartOf } from '../engine/text.js';
import type { Edit } from '../engine/types.js';
import { boundaryMessage, chainText, siteLabel } from './chain.js';
import type { SiteOutcome } from './types.js';

export interface MarkedFile {
  /** The disk text with a marker above each threaded site, nothing else changed. */
  after: string;
  items: ReviewItem[];
  /** How many of the marked sites had been threaded (the rest are boundaries). */
  threaded: number;
}

export function markersOnly(outcomes: readonly SiteOutcome[], read: (file: string) => string | undefined, contextType: string): Map<string, MarkedFile> {
  const byFile = new Map<string, SiteOutcome[]>();
  for (const o of outcomes) (byFile.get(o.file) ?? byFile.set(o.file, []).get(o.file)!).push(o);
  const out = new Map<string, MarkedFile>();
  for (const [file, sites] of byFile) {
    const text = read(file);
    if (text === undefined) continue;
    const shift = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    const eol = detectEol(text);
    const edits: Edit[] = [];
    const items: ReviewItem[] = [];
    const seen = new Set<number>();
    for (const o of sites) {
      let stmt: Node = o.call;
      while (stmt.getParent() && !Node.isStatement(stmt) && !Node.isPropertyDeclaration(stmt) && !Node.isMethodDeclaration(stmt)) stmt = stmt.getParentOrThrow();
      const start = stmt.getStart() + shift;
      const ls = Math.max(lineStartOf(text, start), shift);
      const callee = siteLabel(o.call);
      const message = o.boundary !== undefined ? `${callee}: ${boundaryMessage(o, contextType)}` : `${callee} has no ${contextType} in scope; threading one (${chainText(o)}) was withdrawn with its file by the type guard`;
      items.push({ file, line: lineColumn(text, o.call.getStart() + shift).line, message });
      const prev = ls > shift ? text.slice(lineStartOf(text, ls - 1), ls - 1) : '';
      if (seen.has(ls) || hasTodoMarker(prev)) continue;
      seen.add(ls);
      edits.push({ start: ls, end: ls, text: todoComment(message, indentAt(text, start)) + eol });
    }
    // lines as the marked file has them
    for (const it of items) it.line += edits.filter((e) => lineColumn(text, e.start).line <= it.line).length;
    out.set(file, { after: applyEdits(text, edits), items, threaded: sites.filter((o) => o.boundary === undefined).length });
  }
  return out;
}
