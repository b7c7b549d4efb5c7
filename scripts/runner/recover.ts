/**
 * Recovery after a killed phase or rollback (SIGKILL, crash, power loss): the tree restored
 * exactly from the journal in the git dir, under the repository's lock. One implementation for
 * `ssot-migrate recover` and for `run`, which offers it (with confirmation) when a journal is there.
 */
import { readJournal, restoreFromJournal, type Restored } from './journal.js';
import { acquireRepoLock, LockError } from './lock.js';

export type RecoverResult = { recovered: false; refused?: string } | ({ recovered: true } & Restored);

/** Restores from the journal when there is one; `refused` when another operation holds the lock. */
export function recoverRepo(repo: string, log: (line: string) => void = () => {}): RecoverResult {
  let lock;
  try {
    lock = acquireRepoLock(repo, 'ssot-migrate recover');
  } catch (err) {
    if (!(err instanceof LockError)) throw err;
    return { recovered: false, refused: err.message };
  }
  try {
    if (lock.stale) log(lock.stale);
    const j = readJournal(repo);
    if (!j) return { recovered: false };
    return { recovered: true, ...restoreFromJournal(repo, j) };
  } finally {
    lock.release();
  }
}

/** One line saying what `recoverRepo` restored. */
export function recoveredText(r: Restored): string {
  return `recovered: the ${r.kind === 'rollback' ? `rollback of ${r.phase}` : `phase ${r.phase}`} (interrupted at step ${r.step}): restored ${r.files} file(s) byte-for-byte${r.undidCommit ? `, undid its commit ${r.undidCommit.slice(0, 10)}` : ''}; HEAD is ${r.base?.slice(0, 10) ?? 'unchanged'} and the journal is cleared`;
}
