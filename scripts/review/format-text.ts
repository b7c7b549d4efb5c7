/** Terminal rendering of a review: what needs attention first, then figures, groups and files. */
import type { ReviewReport } from './report.js';

export interface TextOptions {
  color: boolean;
  /** Members listed per group before "+N more". */
  membersShown?: number;
}

/** Colour only on a terminal; NO_COLOR off, FORCE_COLOR on (the common conventions). */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

const CODES = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] } as const;
type Style = keyof typeof CODES;

const STATUS_LETTER = { added: 'A', modified: 'M', deleted: 'D', renamed: 'R' } as const;

export function formatReviewText(r: ReviewReport, options: TextOptions): string {
  const paint = (style: Style, text: string) => (options.color ? `\x1b[${CODES[style][0]}m${text}\x1b[${CODES[style][1]}m` : text);
  const shown = options.membersShown ?? 6;
  const out: string[] = [];
  const f = r.figures;
  out.push(`${paint('bold', `review of ${r.phase ?? 'commit'}`)}  ${paint('yellow', r.commit.slice(0, 10))}  ${r.subject}`);
  if (f.verified) out.push(`Verified: ${f.verified}`);
  const figures: string[] = [];
  if (f.files !== undefined) figures.push(`files ${f.files}`);
  if (f.edits !== undefined) figures.push(`edits ${f.edits}`);
  if (f.compliance) figures.push(`compliance ${f.compliance.before.toFixed(1)}% -> ${f.compliance.after.toFixed(1)}%`);
  if (f.needsReview !== undefined) figures.push(`needs review ${f.needsReview}`);
  if (f.rollbackOf) figures.push(`rollback of ${f.rollbackOf}`);
  if (figures.length) out.push(figures.join('  '));
  else out.push(paint('dim', '(no SSOT trailers: not a phase commit)'));
  if (f.telemetry) {
    // the telemetry verdict the deletion gate opened on, as the commit recorded it
    if (f.telemetry.withoutTelemetry) out.push(paint('yellow', `Without telemetry (reason given): ${f.telemetry.withoutTelemetry}`));
    if (f.telemetry.evidence) out.push(`Telemetry: ${f.telemetry.evidence}`);
    for (const v of f.telemetry.verdicts ?? []) out.push(`  ${v}`);
  }
  for (const w of r.warnings) out.push(paint('yellow', `warning: ${w}`));

  const { todos, needsReview, leftUntouched } = r.attention;
  const attention = todos.length + needsReview.length + leftUntouched.length;
  out.push('', paint('bold', `NEEDS ATTENTION FIRST (${attention})`));
  if (attention === 0) out.push(paint('dim', '  nothing flagged'));
  const section = (title: string, items: Array<{ file: string; line: number; text: string }>) => {
    if (!items.length) return;
    out.push(`  ${title} (${items.length}):`);
    for (const i of items) out.push(`    ${paint('cyan', `${i.file}:${i.line}`)}  ${i.text}`);
  };
  section('TODO(ssot) markers', todos);
  section('Needs review', needsReview.map((i) => ({ file: i.file, line: i.line, text: i.message })));
  section('Left untouched', leftUntouched.map((i) => ({ file: i.file, line: i.line, text: i.message })));

  out.push('', paint('bold', `HUNK GROUPS: ${r.totals.groups} group(s) over ${r.totals.hunks} hunk(s) — one approval covers a group`));
  r.groups.forEach((g, i) => {
    out.push(`  [${i + 1}] ${paint('bold', `×${g.count}`)}  ${paint('dim', `${g.id}  ${g.transform}`)}`);
    for (const line of g.shape.slice(0, 30)) {
      const style: Style = line.startsWith('+') ? 'green' : 'red';
      out.push(`      ${paint(style, `${line[0]} ${line.slice(1)}`)}`);
    }
    if (g.shape.length > 30) out.push(paint('dim', `      … ${g.shape.length - 30} more line(s)`));
    if (g.shape.length === 0) out.push(paint('dim', '      (whitespace-only change)'));
    const where = g.members.slice(0, shown).map((m) => `${m.file}:${m.newStart || m.oldStart}`);
    out.push(`      in: ${where.join(', ')}${g.members.length > shown ? `, … (+${g.members.length - shown} more)` : ''}`);
  });

  out.push('', paint('bold', `FILES (${r.totals.files}): `) + `${paint('green', `+${r.totals.added}`)} ${paint('red', `-${r.totals.removed}`)}`);
  for (const file of r.files) {
    const name = file.oldPath ? `${file.oldPath} -> ${file.path}` : file.path;
    out.push(`  ${STATUS_LETTER[file.status]} ${name}  ${paint('green', `+${file.added}`)} ${paint('red', `-${file.removed}`)}${file.binary ? ' (binary)' : ''}`);
  }
  return out.join('\n') + '\n';
}
