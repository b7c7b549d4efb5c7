/**
 * `npm run bench [-- --json] [-- --only NAME] [-- --update-readme]`: runs every suite, prints
 * figure, baseline, ratio, target and PASS/FAIL per measure, writes bench/results.json, and
 * with --update-readme replaces the README's performance table.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatNumber, formatRatio, type BenchSuite, type Measure } from './harness.js';
import { suites } from './suites.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  return `${os.cpus().length} × ${cpu.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

const TABLE_HEAD = ['| suite | measure | figure | baseline | ratio | target | | measured |', '|---|---|---|---|---|---|---|---|'];

/**
 * The results as the README's Markdown table, the machine and date above it. With `--only`, the
 * rows of the suites that ran replace theirs in `previous` (the table between the markers) and the
 * other suites' rows stay, each with the date it was measured.
 */
function markdownTable(out: { machine: string; at: string; results: { suite: string; measures: Measure[]; error?: string }[] }, previous?: string): string {
  const date = out.at.slice(0, 10);
  const rows = out.results.flatMap((r) => [
    ...r.measures.map((m) => `| ${r.suite} | ${m.name} | ${formatNumber(m.figure)} ${m.unit} | ${formatNumber(m.baseline)} ${m.unit} | ${formatRatio(m)} | ${m.target.text} | ${m.pass ? 'PASS' : '**FAIL**'} | ${date} |`),
    ...(r.error ? [`| ${r.suite} | suite error: ${r.error.split('\n')[0]} | | | | | **ERROR** | ${date} |`] : []),
  ]);
  let kept: string[] = [];
  let keptNote = '';
  if (previous !== undefined) {
    const ran = new Set(out.results.map((r) => r.suite));
    const oldDate = /Measured (\d{4}-\d{2}-\d{2})/.exec(previous)?.[1] ?? 'an earlier run';
    kept = previous
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| suite |'))
      .filter((l) => !ran.has(l.split('|')[1]!.trim()))
      // Rows of the older 7-column table get their date column.
      .map((l) => (l.split('|').length === 9 ? `${l} ${oldDate} |` : l));
    if (kept.length > 0) keptNote = ` Rows of suites not run then (\`--only\`) keep the date they were measured.`;
  }
  const order = new Map(suites.map((s, i) => [s.name, i]));
  const suiteOf = (l: string) => order.get(l.split('|')[1]!.trim()) ?? 99;
  const all = [...kept, ...rows].map((l, i) => ({ l, i })).sort((a, b) => suiteOf(a.l) - suiteOf(b.l) || a.i - b.i).map((x) => x.l);
  return [`Measured ${date} on ${out.machine}.${keptNote}`, '', ...TABLE_HEAD, ...all].join('\n');
}

async function runSuite(suite: BenchSuite, log: (l: string) => void): Promise<{ suite: string; measures: Measure[]; error?: string }> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), `ssot-bench-${suite.name}-`));
  try {
    return { suite: suite.name, measures: await suite.run({ scratch, log }) };
  } catch (err) {
    return { suite: suite.name, measures: [], error: err instanceof Error ? err.stack ?? err.message : String(err) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? argv[onlyAt + 1] : undefined;
  const log = (l: string) => { if (!json) process.stderr.write(`  ${l}\n`); };
  const selected = suites.filter((s) => !only || s.name === only);
  const results = [];
  for (const suite of selected) {
    if (!json) process.stderr.write(`\n== ${suite.name}\n`);
    const r = await runSuite(suite, log);
    results.push(r);
    if (!json) {
      for (const m of r.measures) {
        process.stdout.write(
          `${m.pass ? 'PASS' : 'FAIL'}  ${m.name}\n      figure ${formatNumber(m.figure)} ${m.unit}, baseline ${formatNumber(m.baseline)} ${m.unit}, ratio ${formatRatio(m)} (target ${m.target.text})${m.notes ? `\n      ${m.notes}` : ''}\n`,
        );
      }
      if (r.error) process.stdout.write(`ERROR ${suite.name}: ${r.error}\n`);
    }
  }
  const out = { machine: machine(), at: new Date().toISOString(), results };
  writeFileSync(path.join(here, 'results.json'), `${JSON.stringify(out, null, 2)}\n`);
  if (argv.includes('--update-readme')) {
    // With --only, the other suites' rows stay as they were (each with its own date).
    const readme = path.join(here, '..', 'README.md');
    const text = readFileSync(readme, 'utf8');
    const start = '<!-- bench:start -->';
    const end = '<!-- bench:end -->';
    const i = text.indexOf(start);
    const j = text.indexOf(end);
    if (i < 0 || j < i) throw new Error('README.md has no bench markers');
    const previous = only ? text.slice(i + start.length, j) : undefined;
    writeFileSync(readme, `${text.slice(0, i + start.length)}\n${markdownTable(out, previous)}\n${text.slice(j)}`);
  }
  if (json) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  const all = results.flatMap((r) => r.measures);
  const failed = all.filter((m) => !m.pass).length + results.filter((r) => r.error).length;
  if (!json) process.stdout.write(`\n${all.length - all.filter((m) => !m.pass).length} targets met, ${failed} missed or errored — machine: ${out.machine}\n`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
