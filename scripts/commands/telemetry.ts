/**
 * `ssot-migrate telemetry [FILES...] [--json] [--top N] [--repo DIR]`: aggregates shim telemetry
 * JSONL from any number of processes into one table per deprecation id. Directories are expanded
 * to their *.jsonl files; with no FILES, `<repo>/.ssot/telemetry/` is read (repo: the cwd).
 */
import { join, relative } from 'node:path';
import { buildTelemetryReport, formatTelemetryReport } from '../../shim/telemetry-report.js';
import { defineCommand, UsageError } from './args.js';

export const command = defineCommand({
  name: 'telemetry',
  summary: 'aggregate shim telemetry (JSONL) into a table per deprecation id',
  usage: 'ssot-migrate telemetry [FILES|DIRS...] [--json] [--top N] [--repo DIR]',
  options: { top: { type: 'string' } },
  onJournal: 'warn',
  async run(a) {
    let top = 5;
    if (a.values.top !== undefined) {
      top = Number(a.values.top);
      if (!Number.isInteger(top) || top < 1) throw new UsageError('--top needs a positive integer');
    }
    const paths = [...a.positionals];
    const defaulted = paths.length === 0;
    const fallback = join(a.repo, '.ssot', 'telemetry');
    if (defaulted) paths.push(fallback);
    let report;
    try {
      report = await buildTelemetryReport(paths, { top });
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      const message =
        defaulted && e.code === 'ENOENT'
          ? `no telemetry at ${relative(process.cwd(), fallback) || '.'} (processes write there unless SSOT_SHIM_TELEMETRY says otherwise); pass FILES or DIRS`
          : e.message;
      process.stderr.write(`ssot-migrate telemetry: ${message}\n`);
      return 1;
    }
    process.stdout.write(a.json ? JSON.stringify(report, null, 2) + '\n' : formatTelemetryReport(report));
    return 0;
  },
});
