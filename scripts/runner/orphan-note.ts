/**
 * The report note of an interrupted phase's commit that a person undid by hand before `recover`
 * ran (`git reset --hard HEAD~1`): HEAD is back at the journal's base, so the restore has no commit
 * to undo, but the note stays on a commit no branch holds — and `git notes list` and a push of the
 * notes ref would carry a "full report" of a phase that is in no history. Synchronous: `recover`
 * restores without letting other code run in between.
 */
import { gitSync, GitError, REPORT_NOTES_REF, TRAILER } from '../git/index.js';

export interface OrphanNote {
  /** The commit whose note was removed. */
  removed?: string;
  /** Its note could not be removed: why, and the command that removes it. */
  left?: string;
}

/**
 * Removes the note of the phase's own commit when it is not in any branch or tag: a commit on
 * `base` carrying `SSOT-Phase: <phase>`, made since the operation started. A commit some ref still
 * holds (another branch, a tag) keeps its note; so does any other phase commit's note.
 */
export function dropOrphanPhaseNote(repo: string, phase: string, base: string, startedAt: string): OrphanNote {
  const since = Math.floor(Date.parse(startedAt) / 1000);
  if (Number.isNaN(since)) return {};
  let listed: string;
  try {
    listed = gitSync(repo, ['notes', `--ref=${REPORT_NOTES_REF}`, 'list']);
  } catch {
    return {}; // no notes ref yet
  }
  for (const sha of listed.split('\n').map((l) => l.split(' ')[1]).filter((s): s is string => !!s)) {
    let shown: string;
    try {
      shown = gitSync(repo, ['show', '-s', '--format=%P%x1f%ct%x1f%B', `${sha}^{commit}`, '--']);
    } catch {
      continue; // pruned by gc: no commit to judge
    }
    const [parents, time, message] = shown.split('\x1f');
    if (parents?.trim() !== base || Number(time) < since || !message?.split('\n').some((l) => l.trim() === `${TRAILER.phase}: ${phase}`)) continue;
    if (gitSync(repo, ['for-each-ref', '--count=1', '--contains', sha]).trim() !== '') continue;
    try {
      gitSync(repo, ['notes', `--ref=${REPORT_NOTES_REF}`, 'remove', '--ignore-missing', sha]);
      return { removed: sha };
    } catch (err) {
      return { left: `the report note of ${sha.slice(0, 10)} (its commit, undone by hand, is in no branch) was not removed (${err instanceof GitError ? err.message.split('\n')[0] : String(err)}): git notes --ref=${REPORT_NOTES_REF.replace('refs/notes/', '')} remove ${sha}` };
    }
  }
  return {};
}
