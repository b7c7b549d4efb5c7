/**
 * `ssot-migrate recover`: after a phase or rollback was killed (SIGKILL, crash, power loss), put
 * the tree back exactly as it was before it, from the journal in the git dir, and clear it.
 */
import { acquireRepoLock, installInterruptHandlers, LockError, readJournal, restoreFromJournal } from '../runner/index.js';
import { defineCommand } from './args.js';

export const command = defineCommand({
  name: 'recover',
  summary: 'restore the tree exactly as it was before an interrupted (killed) phase or rollback, from its journal',
  usage: 'ssot-migrate recover [--repo DIR] [--json]',
  onJournal: 'ignore',
  async run(a) {
    installInterruptHandlers();
    let lock;
    try {
      lock = acquireRepoLock(a.repo, 'ssot-migrate recover');
    } catch (err) {
      if (!(err instanceof LockError)) throw err;
      process.stderr.write(`recover refused: ${err.message}\n`);
      return 1;
    }
    try {
      if (lock.stale) process.stderr.write(`${lock.stale}\n`);
      const j = readJournal(a.repo);
      if (!j) {
        if (a.json) process.stdout.write(`${JSON.stringify({ recovered: false })}\n`);
        else process.stdout.write('nothing to recover: no interrupted phase left a journal\n');
        return 0;
      }
      const r = restoreFromJournal(a.repo, j);
      if (a.json) process.stdout.write(`${JSON.stringify({ recovered: true, ...r }, null, 2)}\n`);
      else
        process.stdout.write(
          `recovered: the ${r.kind === 'rollback' ? `rollback of ${r.phase}` : `phase ${r.phase}`} (interrupted at step ${r.step}): restored ${r.files} file(s) byte-for-byte${r.undidCommit ? `, undid its commit ${r.undidCommit.slice(0, 10)}` : ''}; HEAD is ${r.base?.slice(0, 10) ?? 'unchanged'} and the journal is cleared\n`,
        );
      return 0;
    } finally {
      lock.release();
    }
  },
});
