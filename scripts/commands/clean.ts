/**
 * `ssot-migrate clean --set-aside`: remove the folders a failed or interrupted phase's restore moved
 * its verify outputs to (.git/ssot-migrate/set-aside/), which nothing removes on its own. Lists each
 * folder it removes (files, size, age) as it goes; `--older-than` keeps the younger ones, `--dry-run`
 * only lists.
 */
import { parseDuration } from '../../shim/duration.js';
import { cleanSetAside, formatBytes, setAsideLine } from '../runner/index.js';
import { defineCommand, UsageError } from './args.js';

export const command = defineCommand({
  name: 'clean',
  summary: "remove the set-aside folders (verify outputs a failed or interrupted phase's restore moved out of the tree), listing each; --older-than keeps younger ones",
  usage: 'ssot-migrate clean --set-aside [--older-than 14d] [--dry-run] [--repo DIR] [--json]',
  options: { 'set-aside': { type: 'boolean' }, 'older-than': { type: 'string' }, 'dry-run': { type: 'boolean' } },
  // the set-aside folders are outside the tree: an interrupted phase's journal does not concern them
  onJournal: 'ignore',
  async run(a) {
    if (a.values['set-aside'] !== true) throw new UsageError('clean: say what to clean: --set-aside (the only kind there is)');
    let olderThanMs: number | undefined;
    if (typeof a.values['older-than'] === 'string') {
      try {
        olderThanMs = parseDuration(a.values['older-than']);
      } catch (error) {
        throw new UsageError(`--older-than: ${(error as Error).message}`);
      }
    }
    const dryRun = a.values['dry-run'] === true;
    const r = cleanSetAside(a.repo, { ...(olderThanMs !== undefined ? { olderThanMs } : {}), dryRun, onRemove: (f) => !a.json && process.stdout.write(`removing ${setAsideLine(f)}\n`) });
    if (r.refused) {
      process.stderr.write(`clean refused: ${r.refused}\n`);
      return 1;
    }
    if (a.json) {
      process.stdout.write(`${JSON.stringify({ dryRun, ...r }, null, 2)}\n`);
      return 0;
    }
    if (dryRun) for (const f of r.removed) process.stdout.write(`would remove ${setAsideLine(f)}\n`);
    const kept = r.kept.length ? `; kept ${r.kept.length} younger than ${a.values['older-than']}` : '';
    const bytes = r.removed.reduce((n, f) => n + f.bytes, 0);
    process.stdout.write(`${dryRun ? 'would remove' : 'removed'} ${r.removed.length} set-aside folder(s), ${r.removed.reduce((n, f) => n + f.files, 0)} file(s), ${formatBytes(bytes)}${kept}\n`);
    return 0;
  },
});
