/**
 * `ssot-migrate toggle <id|*> <mode> [--file F] [--repo DIR]`: flips a deprecation id's shim mode
 * in the toggles file (atomic write): F, else SSOT_SHIM_TOGGLES, else `<repo>/.ssot/shim-toggles.json`
 * (repo: the cwd). Running processes watching the file pick it up within a second.
 */
import { join, resolve } from 'node:path';
import { SHIM_MODES, isShimMode } from '../../shim/modes.js';
import { defaultTogglesPath, setToggle } from '../../shim/toggles-file.js';
import { defineCommand, UsageError } from './args.js';

export const command = defineCommand({
  name: 'toggle',
  summary: 'set a deprecation id (or *) to canonical, legacy, strict or shadow in the toggles file',
  usage: `ssot-migrate toggle <id|*> <${SHIM_MODES.join('|')}> [--file F] [--repo DIR]`,
  options: { file: { type: 'string', short: 'f' } },
  async run(a) {
    const [id, mode] = a.positionals;
    if (a.positionals.length !== 2 || !id || !mode) throw new UsageError('name an id (or *) and a mode');
    if (!isShimMode(mode)) throw new UsageError(`unknown mode ${JSON.stringify(mode)}; expected one of ${SHIM_MODES.join(', ')}`);
    const file = typeof a.values.file === 'string' ? resolve(a.values.file) : process.env.SSOT_SHIM_TOGGLES ? defaultTogglesPath() : join(a.repo, '.ssot', 'shim-toggles.json');
    try {
      const result = await setToggle(file, id, mode);
      process.stdout.write(`${result.id}: ${result.from ?? '(unset)'} -> ${result.to} in ${result.path}\n`);
      for (const [other, m] of result.cleared) process.stdout.write(`  cleared override ${other}=${m}\n`);
      return 0;
    } catch (error) {
      process.stderr.write(`ssot-migrate toggle: ${(error as Error).message}\n`);
      return 1;
    }
  },
});
