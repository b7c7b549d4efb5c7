/**
 * Which phases are committed, read from commit trailers (SSOT-Phase), with rollbacks
 * (SSOT-Rollback) undoing them — git history is the only state the runner keeps.
 */
import { commitLog, type LogEntry, TRAILER } from '../git/index.js';

export interface PhaseRecord {
  phase: string;
  commit: LogEntry;
  /** Position in history (oldest first), so later phases are known without a phase list. */
  index: number;
}

export async function committedPhases(repo: string): Promise<Map<string, PhaseRecord>> {
  const done = new Map<string, PhaseRecord>();
  (await commitLog(repo)).forEach((entry, index) => {
    const rolledBack = entry.trailers[TRAILER.rollback];
    if (rolledBack) {
      done.delete(rolledBack);
      return;
    }
    if (entry.phase) done.set(entry.phase, { phase: entry.phase, commit: entry, index });
  });
  return done;
}
