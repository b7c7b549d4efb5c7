/** `ssot-migrate demo`: the whole phased migration of examples/legacy-app in a scratch git repo. */
import { runDemo } from '../demo.js';
import { defineCommand } from './args.js';

export const command = defineCommand({
  name: 'demo',
  summary: 'migrate examples/legacy-app in a scratch git repo, one verified commit per phase',
  usage: 'ssot-migrate demo [--dir EMPTY_DIR]',
  options: { dir: { type: 'string' } },
  async run(a) {
    return (await runDemo(typeof a.values.dir === 'string' ? { dir: a.values.dir } : {})).exitCode;
  },
});
