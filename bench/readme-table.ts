/**
 * The README's performance table (between `<!-- bench:start -->` and `<!-- bench:end -->`) from a
 * bench run: the rows of the suites that ran replace theirs, every other row stays with the date it
 * was measured — after `--only`, and after a full run too, since a suite behind a flag (scale) is
 * not part of one.
 */
import { formatNumber, formatRatio, type Measure } from './harness.js';

const TABLE_HEAD = ['| suite | measure | figure | baseline | ratio | target | | measured |', '|---|---|---|---|---|---|---|---|'];
const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

export interface BenchRun {
  machine: string;
  /** ISO time of the run. */
  at: string;
  results: { suite: string; measures: Measure[]; error?: string }[];
}

/** The table for `run`, keeping `previous`'s rows (the text between the markers) of suites it did not run; `order` sorts suites. */
export function markdownTable(run: BenchRun, previous: string, order: readonly string[]): string {
  const date = run.at.slice(0, 10);
  const rows = run.results.flatMap((r) => [
    ...r.measures.map((m) => `| ${r.suite} | ${m.name} | ${formatNumber(m.figure)} ${m.unit} | ${formatNumber(m.baseline)} ${m.unit} | ${formatRatio(m)} | ${m.target.text} | ${m.pass ? 'PASS' : '**FAIL**'} | ${date} |`),
    ...(r.error ? [`| ${r.suite} | suite error: ${r.error.split('\n')[0]} | | | | | **ERROR** | ${date} |`] : []),
  ]);
  const ran = new Set(run.results.map((r) => r.suite));
  const oldDate = /Measured (\d{4}-\d{2}-\d{2})/.exec(previous)?.[1] ?? 'an earlier run';
  const kept = previous
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| suite |'))
    .filter((l) => !ran.has(l.split('|')[1]!.trim()))
    // Rows of the older 7-column table get their date column.
    .map((l) => (l.split('|').length === 9 ? `${l} ${oldDate} |` : l));
  const keptNote = kept.length > 0 ? ' Rows of suites not run then (`--only`, or behind a flag) keep the date they were measured.' : '';
  const rank = new Map(order.map((name, i) => [name, i]));
  const suiteOf = (l: string) => rank.get(l.split('|')[1]!.trim()) ?? 99;
  const all = [...kept, ...rows].map((l, i) => ({ l, i })).sort((a, b) => suiteOf(a.l) - suiteOf(b.l) || a.i - b.i).map((x) => x.l);
  return [`Measured ${date} on ${run.machine}.${keptNote}`, '', ...TABLE_HEAD, ...all].join('\n');
}

/** `readme` with its table replaced for `run`. */
export function updateReadmeTable(readme: string, run: BenchRun, order: readonly string[]): string {
  const i = readme.indexOf(START);
  const j = readme.indexOf(END);
  if (i < 0 || j < i) throw new Error('README.md has no bench markers');
  const previous = readme.slice(i + START.length, j);
  return `${readme.slice(0, i + START.length)}\n${markdownTable(run, previous, order)}\n${readme.slice(j)}`;
}
