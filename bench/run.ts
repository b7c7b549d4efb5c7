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
import { updateReadmeTable } from './readme-table.js';
import { allSuiteNames, suites } from './suites.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  return `${os.cpus().length} × ${cpu.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
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
    // Only the suites that ran replace their rows: the others (--only, or behind a flag) stay, each with its date.
    const readme = path.join(here, '..', 'README.md');
    writeFileSync(readme, updateReadmeTable(readFileSync(readme, 'utf8'), out, allSuiteNames));
  }
  if (json) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  const all = results.flatMap((r) => r.measures);
  const failed = all.filter((m) => !m.pass).length + results.filter((r) => r.error).length;
  if (!json) process.stdout.write(`\n${all.length - all.filter((m) => !m.pass).length} targets met, ${failed} missed or errored — machine: ${out.machine}\n`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
