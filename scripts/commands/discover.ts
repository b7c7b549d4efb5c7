import { runTransform } from '../../codemods/index.js';
import { parseTransformArgs, UsageError } from './transform-args.js';

const usage = 'ssot-migrate discover [--repo DIR] [--json] [--dry-run]';

export const command = {
  name: 'discover',
  summary: 'phase 0: inventory of manager declarations, import forms, dangling imports and SSOT compliance %',
  usage,
  async run(argv: string[]): Promise<number> {
    let args;
    try {
      args = parseTransformArgs(argv);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      process.stderr.write(`${err.message}\nusage: ${usage}\n`);
      return 2;
    }
    if (args.help) {
      process.stdout.write(`usage: ${usage}\nwrites .ssot/inventory.json and .ssot/inventory.md in the repo (not with --dry-run); --json prints the inventory\n`);
      return 0;
    }
    const r = await runTransform('discover', args.repo, { dryRun: args.dryRun, progress: !args.json, ...(args.workers !== undefined ? { workers: args.workers } : {}) });
    const inv = r.inventory!;
    if (args.json) process.stdout.write(JSON.stringify(inv, null, 2) + '\n');
    else {
      const dups = inv.declarations.filter((d) => d.duplicateOf !== undefined).length;
      process.stdout.write(
        `SSOT compliance ${inv.compliance.percent}% (${inv.compliance.compliant}/${inv.compliance.total} import sites)\n` +
          `${inv.declarations.length} declarations (${dups} duplicate a canonical name), ${inv.distinctForms.length} distinct import forms, ${inv.dangling.length} dangling imports, ${inv.files.failed.length} files failed to parse\n` +
          (args.dryRun ? '' : `wrote .ssot/inventory.json and .ssot/inventory.md\n`),
      );
    }
    return 0;
  },
};
