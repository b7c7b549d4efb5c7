/**
 * Which phases are committed, read from commit trailers (SSOT-Phase), with rollbacks
 * (SSOT-Rollback) undoing them — git history is the only state the runner keeps.
 */
import type { PhaseName } from '../../manifest/types.js';
import { ssotLog, type LogEntry } from './git.js';

export interface PhaseRecord {
  phase: PhaseName;
  commit: LogEntry;
}

export async function committedPhases(repo: string): Promise<Map<PhaseName, PhaseRecord>> {
  const done = new Map<PhaseName, PhaseRecord>();
  for (const entry of await ssotLog(repo)) {
    const rolledBack = entry.trailers['SSOT-Rollback'];
    if (rolledBack) {
      done.delete(rolledBack as PhaseName);
      continue;
    }
    const phase = entry.trailers['SSOT-Phase'];
    if (phase) done.set(phase as PhaseName, { phase: phase as PhaseName, commit: entry });
  }
  return done;
}
