/**
 * `ssot-migrate toggle <id|*> <mode> [--file F]`: flips a deprecation id's shim mode in the
 * toggles file (atomic write). Running processes watching the file pick it up within a second.
 */
import { SHIM_MODES, isShimMode } from '../../shim/modes.js';
import { defaultTogglesPath, setToggle } from '../../shim/toggles-file.js';
import { resolve } from 'node:path';

const usage = `ssot-migrate toggle <id|*> <${SHIM_MODES.join('|')}> [--file F]`;

export const command = {
  name: 'toggle',
  summary: 'set a deprecation id (or *) to canonical, legacy, strict or shadow in the toggles file',
  usage,
  async run(argv: string[]): Promise<number> {
    const positional: string[] = [];
    let file: string | undefined;
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      if (arg === '--file' || arg === '-f') {
        file = argv[++i];
        if (!file) {
          process.stderr.write(`--file needs a path\nusage: ${usage}\n`);
          return 2;
        }
      } else if (arg.startsWith('--file=')) file = arg.slice('--file='.length);
      else if (arg === '-h' || arg === '--help') {
        process.stdout.write(`usage: ${usage}\n`);
        return 0;
      } else positional.push(arg);
    }
    const [id, mode] = positional;
    if (positional.length !== 2 || !id || !mode) {
      process.stderr.write(`usage: ${usage}\n`);
      return 2;
    }
    if (!isShimMode(mode)) {
      process.stderr.write(`unknown mode ${JSON.stringify(mode)}; expected one of ${SHIM_MODES.join(', ')}\n`);
      return 2;
    }
    const path = file ? resolve(file) : defaultTogglesPath();
    try {
      const result = await setToggle(path, id, mode);
      process.stdout.write(`${result.id}: ${result.from ?? '(unset)'} -> ${result.to} in ${result.path}\n`);
      for (const [other, m] of result.cleared) process.stdout.write(`  cleared override ${other}=${m}\n`);
      return 0;
    } catch (error) {
      process.stderr.write(`ssot-migrate toggle: ${(error as Error).message}\n`);
      return 1;
    }
  },
};
