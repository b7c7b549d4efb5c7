import { isTransformPhase, runTransform, TRANSFORM_PHASES } from '../../codemods/index.js';
import { reportText } from './report-text.js';
import { parseTransformArgs, UsageError } from './transform-args.js';

const usage = `ssot-migrate run <${TRANSFORM_PHASES.join('|')}> [--repo DIR] [--dry-run] [--json] [--workers N] [--type-guard]`;

export const command = {
  name: 'run',
  summary: 'run one phase on a repo: --dry-run prints the unified diff and writes nothing; otherwise applies (no commit)',
  usage,
  async run(argv: string[]): Promise<number> {
    let args;
    try {
      args = parseTransformArgs(argv);
      if (args.help) {
        process.stdout.write(`usage: ${usage}\n`);
        return 0;
      }
      const phase = args.positional[0];
      if (phase === undefined || !isTransformPhase(phase) || args.positional.length > 1)
        throw new UsageError(phase === undefined ? 'which phase?' : `unknown phase "${args.positional.join(' ')}"`);
      const r = await runTransform(phase, args.repo, { dryRun: args.dryRun, typeGuard: args.typeGuard, progress: !args.json, ...(args.workers !== undefined ? { workers: args.workers } : {}) });
      if (args.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      else {
        if (args.dryRun) process.stdout.write(r.diff);
        process.stderr.write(reportText(r));
      }
      return r.summary.failed > 0 ? 1 : 0;
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      process.stderr.write(`${err.message}\nusage: ${usage}\n`);
      return 2;
    }
  },
};
