/**
 * `ssot-migrate telemetry [FILES...] [--json] [--top N]`: aggregates shim telemetry JSONL from any
 * number of processes into one table per deprecation id. Directories are expanded to their
 * *.jsonl files; with no FILES, `.ssot/telemetry/` is read.
 */
import { buildTelemetryReport, formatTelemetryReport } from '../../shim/telemetry-report.js';

const usage = 'ssot-migrate telemetry [FILES|DIRS...] [--json] [--top N]';

export const command = {
  name: 'telemetry',
  summary: 'aggregate shim telemetry (JSONL) into a table per deprecation id',
  usage,
  async run(argv: string[]): Promise<number> {
    const paths: string[] = [];
    let json = false;
    let top = 5;
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      if (arg === '--json') json = true;
      else if (arg === '--top') {
        const n = Number(argv[++i]);
        if (!Number.isInteger(n) || n < 1) {
          process.stderr.write(`--top needs a positive integer\nusage: ${usage}\n`);
          return 2;
        }
        top = n;
      } else if (arg === '-h' || arg === '--help') {
        process.stdout.write(`usage: ${usage}\n`);
        return 0;
      } else if (arg.startsWith('-')) {
        process.stderr.write(`unknown option ${arg}\nusage: ${usage}\n`);
        return 2;
      } else paths.push(arg);
    }
    const defaulted = paths.length === 0;
    if (defaulted) paths.push('.ssot/telemetry');
    let report;
    try {
      report = await buildTelemetryReport(paths, { top });
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      const message =
        defaulted && e.code === 'ENOENT'
          ? 'no telemetry at .ssot/telemetry (processes write there unless SSOT_SHIM_TELEMETRY says otherwise); pass FILES or DIRS'
          : e.message;
      process.stderr.write(`ssot-migrate telemetry: ${message}\n`);
      return 1;
    }
    process.stdout.write(json ? JSON.stringify(report, null, 2) + '\n' : formatTelemetryReport(report));
    return 0;
  },
};
