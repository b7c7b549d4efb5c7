/** `ssot-migrate discover`: phase 0 as a read-only report (the runner's `run discover` commits it). */
import { RepoSnapshot, runTransform } from '../../codemods/index.js';
import { makeProgress } from '../../codemods/engine/progress.js';
import { defineCommand, UsageError } from './args.js';

export const command = defineCommand({
  name: 'discover',
  summary: 'phase 0: inventory of manager declarations, import forms, dangling imports and SSOT compliance %',
  usage: 'ssot-migrate discover [--repo DIR] [--json] [--dry-run] [--workers N]\nwrites .ssot/inventory.json and .ssot/inventory.md in the repo (not with --dry-run); --json prints the inventory',
  options: { 'dry-run': { type: 'boolean' }, workers: { type: 'string' } },
  async run(a) {
    const dryRun = a.values['dry-run'] === true;
    let workers: number | undefined;
    if (typeof a.values.workers === 'string') {
      workers = Number(a.values.workers);
      if (!/^\d+$/.test(a.values.workers)) throw new UsageError('--workers needs a whole number');
    }
    const progress = makeProgress('discover', !a.json);
    const snapshot = await RepoSnapshot.open(a.repo, { ...(workers !== undefined ? { workers } : {}), onProgress: (d, t) => progress.update(d, t) });
    await runTransform('discover', a.repo, { dryRun, snapshot });
    progress.end();
    const inv = await snapshot.inventory();
    if (a.json) process.stdout.write(JSON.stringify(inv, null, 2) + '\n');
    else {
      const dups = inv.declarations.filter((d) => d.duplicateOf !== undefined).length;
      process.stdout.write(
        `SSOT compliance ${inv.compliance.percent}% (${inv.compliance.compliant}/${inv.compliance.total} import sites)\n` +
          `${inv.declarations.length} declarations (${dups} duplicate a canonical name), ${inv.distinctForms.length} distinct import forms, ${inv.dangling.length} dangling imports, ${inv.files.failed.length} files failed to parse\n` +
          (dryRun ? '' : `wrote .ssot/inventory.json and .ssot/inventory.md\n`),
      );
    }
    return 0;
  },
});
