/** `ssot-migrate demo`: the whole phased migration of examples/legacy-app in a scratch git repo. */
import { runDemo } from '../demo.js';
import { parse, withUsage } from './args.js';

const usage = 'ssot-migrate demo [--dir EMPTY_DIR]';

export const command = {
  name: 'demo',
  summary: 'migrate examples/legacy-app in a scratch git repo, one verified commit per phase',
  usage,
  run: (argv: string[]) =>
    withUsage(usage, async () => {
      const a = parse(argv, { dir: { type: 'string' } });
      if (a.help) {
        process.stdout.write(`usage: ${usage}\n`);
        return 0;
      }
      return (await runDemo(typeof a.values.dir === 'string' ? { dir: a.values.dir } : {})).exitCode;
    }),
};
