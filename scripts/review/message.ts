/**
 * Reads what the phase runner wrote into a phase commit (scripts/runner/run-phase.ts,
 * `commitMessage`): the "Needs review (n):" and "Left untouched (n):" lists, the "Verified:"
 * line and the SSOT-* trailers.
 */
export interface ReviewItem {
  file: string;
  line: number;
  message: string;
}

export interface PhaseFigures {
  files?: number;
  edits?: number;
  compliance?: { before: number; after: number };
  needsReview?: number;
  verified?: string;
  /** Set on rollback commits: the phase they undo. */
  rollbackOf?: string;
  reverts?: string;
}

export interface ParsedMessage {
  needsReview: ReviewItem[];
  leftUntouched: ReviewItem[];
  figures: PhaseFigures;
  /** Disagreements between the lists and the trailers (a hand-edited message, a truncated list). */
  warnings: string[];
}

function parseItem(text: string): ReviewItem {
  const m = /^(.+?):(\d+)\s+(.*)$/.exec(text);
  return m ? { file: m[1]!, line: Number(m[2]), message: m[3]! } : { file: text, line: 0, message: '' };
}

function list(lines: string[], heading: string): { items: ReviewItem[]; declared: number | undefined } {
  const start = lines.findIndex((l) => l.startsWith(`${heading} (`));
  if (start < 0) return { items: [], declared: undefined };
  const declared = Number(/\((\d+)\)/.exec(lines[start]!)?.[1]);
  const items: ReviewItem[] = [];
  for (const l of lines.slice(start + 1)) {
    if (!l.startsWith('- ')) break;
    items.push(parseItem(l.slice(2)));
  }
  return { items, declared: Number.isFinite(declared) ? declared : undefined };
}

function num(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export function parsePhaseMessage(message: string, trailers: Record<string, string>): ParsedMessage {
  const lines = message.split('\n');
  const warnings: string[] = [];
  const review = list(lines, 'Needs review');
  const untouched = list(lines, 'Left untouched');
  for (const [name, l] of [['Needs review', review], ['Left untouched', untouched]] as const) {
    if (l.declared !== undefined && l.declared !== l.items.length) warnings.push(`"${name} (${l.declared})" lists ${l.items.length} item(s)`);
  }
  const figures: PhaseFigures = {};
  const files = num(trailers['SSOT-Files']);
  if (files !== undefined) figures.files = files;
  const edits = num(trailers['SSOT-Edits']);
  if (edits !== undefined) figures.edits = edits;
  const compliance = /^(-?[\d.]+)\s*->\s*(-?[\d.]+)$/.exec(trailers['SSOT-Compliance'] ?? '');
  if (compliance) figures.compliance = { before: Number(compliance[1]), after: Number(compliance[2]) };
  const needs = num(trailers['SSOT-Needs-Review']);
  if (needs !== undefined) {
    figures.needsReview = needs;
    if (needs !== review.items.length) warnings.push(`SSOT-Needs-Review says ${needs} but the message lists ${review.items.length}`);
  }
  const verified = lines.find((l) => l.startsWith('Verified:'));
  if (verified) figures.verified = verified.slice('Verified:'.length).trim();
  if (trailers['SSOT-Rollback']) figures.rollbackOf = trailers['SSOT-Rollback'];
  if (trailers['SSOT-Reverts']) figures.reverts = trailers['SSOT-Reverts'];
  return { needsReview: review.items, leftUntouched: untouched.items, figures, warnings };
}
