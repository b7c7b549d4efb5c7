/**
 * Recovery after a killed phase or rollback (SIGKILL, crash, power loss): the tree restored
 * exactly from the journal in the git dir, under the repository's lock. One implementation for
 * `ssot-migrate recover` and for `run`, which offers it (with confirmation) when a journal is there.
 */
import { rmSync } from 'node:fs';
import { gitChildrenFile, liveGitChildren, recordGitChildren } from './git-children.js';
import { clearLocksLeftSince, type LocksCleared } from './git-locks.js';
import { lockRefusal, readJournal, restoreFromJournal, type Restored } from './journal.js';
import { acquireRepoLock, LockError } from './lock.js';
import { changedTrackedText, setAsideText } from './untracked.js';

export type RecoverResult = { recovered: false; refused?: string } | ({ recovered: true; gitLocks?: LocksCleared } & Restored);

/** Restores from the journal when there is one; `refused` when another operation holds the lock. */
export function recoverRepo(repo: string, log: (line: string) => void = () => {}): RecoverResult {
  let lock;
  try {
    lock = acquireRepoLock(repo, 'ssot-migrate recover');
  } catch (err) {
    if (!(err instanceof LockError)) throw err;
    return { recovered: false, refused: lockRefusal(repo, err) };
  }
  try {
    if (lock.stale) log(lock.stale);
    if (lock.cleaned) log(lock.cleaned);
    const j = readJournal(repo);
    if (!j) {
      // a kill before any journal (preflight, plan) leaves only the record of its gits: litter once they are gone
      if (!liveGitChildren(repo).length) rmSync(gitChildrenFile(repo), { force: true });
      return { recovered: false };
    }
    // A git the killed CLI started may outlive it (a `kill -9` of the CLI alone): restoring now, its
    // commit would land after the restore — the phase recorded over the old bytes. Wait for it.
    const live = liveGitChildren(repo);
    if (live.length) return { recovered: false, refused: `the interrupted operation's git is still running (${live.map((c) => `pid ${c.pid}: git ${c.args.join(' ')}`).join('; ')}); let it end (or end it), then run recover again — restoring now, it could still commit over the restored tree. If that pid is no git of this repository any more, delete ${gitChildrenFile(repo)}` };
    // First the lock files of a git killed with the operation (a HEAD.lock would stop the undo of its commit)
    const started = Date.parse(j.startedAt);
    const locks = Number.isNaN(started) ? undefined : clearLocksLeftSince(repo, started);
    // From here the record is recover's own: the interrupted operation's gits are all gone (above),
    // and the restore's gits (`reset --soft`, …) are the ones a kill of recover would leave locks of.
    // Once it is done, none runs: the record goes.
    const stopRecording = recordGitChildren(repo);
    let restored;
    try {
      restored = restoreFromJournal(repo, j);
    } finally {
      stopRecording();
    }
    return { recovered: true, ...restored, ...(locks && (locks.removed.length || locks.kept.length) ? { gitLocks: locks } : {}) };
  } finally {
    lock.release();
  }
}

/** What `recoverRepo` restored: one line, plus one per kind of git lock file it found. */
export function recoveredText(r: Restored & { gitLocks?: LocksCleared }): string {
  const lines = [`recovered: the ${r.kind === 'rollback' ? `rollback of ${r.phase}` : `phase ${r.phase}`} (interrupted at step ${r.step}): ${r.step === 'baseline' ? 'no file of it had been written yet' : `restored ${r.files} file(s) byte-for-byte`}${r.undidCommit ? `, undid its commit ${r.undidCommit.slice(0, 10)}` : ''}; HEAD is ${r.base?.slice(0, 10) ?? 'unchanged'} and the journal is cleared`];
  if (r.droppedNote) lines.push(`  its commit ${r.droppedNote.slice(0, 10)} had been undone by hand (it is in no branch or tag): removed its report note`);
  if (r.noteLeft) lines.push(`  ${r.noteLeft}`);
  if (r.setAside) lines.push(`  ${setAsideText(r.setAside)}`);
  if (r.changedTracked) lines.push(`  ${changedTrackedText(r.changedTracked)}`);
  if (r.gitLocks?.removed.length) lines.push(`  removed the git lock file(s) its killed git left in the git dir: ${r.gitLocks.removed.join(', ')}`);
  if (r.gitLocks?.kept.length) lines.push(`  left git lock file(s) in the git dir: ${r.gitLocks.kept.join(', ')} (${r.gitLocks.why}); git commands that write fail until they are gone`);
  return lines.join('\n');
}
