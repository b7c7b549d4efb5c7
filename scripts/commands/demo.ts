/**
 * `ssot-migrate demo`: the whole phased migration of examples/legacy-app in a scratch git repo.
 * Repository checkout only: it migrates the repository's example app and verifies each phase
 * with that app's test tools (vitest, tsx, tsc), which are the toolkit's devDependencies — an
 * installed package ships neither the app nor those tools.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';
import { defineCommand } from './args.js';

export const DEMO_ONLY_IN_CHECKOUT =
  'demo runs only in a checkout of the ssot-migrate repository (it migrates the repository\'s examples/legacy-app with the toolkit\'s dev tools; the installed package ships neither).\n' +
  'In your own repository start with `npx ssot-migrate run discover` (README: "Install in your repository").';

export const command = defineCommand({
  name: 'demo',
  summary: '(repository checkout only) migrate examples/legacy-app in a scratch git repo, one verified commit per phase',
  usage: 'ssot-migrate demo [--dir EMPTY_DIR]   (in a checkout of the ssot-migrate repository: npm run demo)',
  options: { dir: { type: 'string' } },
  onJournal: 'warn',
  async run(a) {
    if (!existsSync(path.join(PACKAGE_ROOT, 'examples', 'legacy-app', 'ssot.config.json'))) {
      process.stderr.write(`ssot-migrate demo: ${DEMO_ONLY_IN_CHECKOUT}\n`);
      return 2;
    }
    (await import('../runner/interrupt.js')).installInterruptHandlers();
    const { runDemo } = await import('../demo.js');
    return (await runDemo(typeof a.values.dir === 'string' ? { dir: a.values.dir } : {})).exitCode;
  },
});
