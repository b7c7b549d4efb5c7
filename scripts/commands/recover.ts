/**
 * `ssot-migrate recover`: after a phase or rollback was killed (SIGKILL, crash, power loss), put
 * the tree back exactly as it was before it, from the journal in the git dir, and clear it.
 */
import { installInterruptHandlers, recoveredText, recoverRepo } from '../runner/index.js';
import { defineCommand } from './args.js';

export const command = defineCommand({
  name: 'recover',
  summary: 'restore the tree exactly as it was before an interrupted (killed) phase or rollback, from its journal',
  usage: 'ssot-migrate recover [--repo DIR] [--json]',
  onJournal: 'ignore',
  async run(a) {
    installInterruptHandlers();
    const r = recoverRepo(a.repo, (l) => process.stderr.write(`${l}\n`));
    if (!r.recovered && r.refused !== undefined) {
      process.stderr.write(`recover refused: ${r.refused}\n`);
      return 1;
    }
    if (a.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    else if (!r.recovered) process.stdout.write('nothing to recover: no interrupted phase left a journal\n');
    else process.stdout.write(`${recoveredText(r)}\n`);
    return 0;
  },
});
