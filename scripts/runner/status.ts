/** `status`: each phase done / pending / blocked (and why), compliance, what is left. */
import { legacyUse, RepoSnapshot } from '../../codemods/index.js';
import { assertNoJournal } from './journal.js';
import { committedPhases } from './ledger.js';

export interface PhaseState {
  phase: string;
  description: string;
  custom: boolean;
  state: 'done' | 'pending' | 'blocked' | 'not-selected';
  commit?: string;
  why?: string;
}

export interface RepoStatus {
  phases: PhaseState[];
  compliance: number;
  legacyImportSites: number;
  legacyFiles: number;
  todoMarkers: { file: string; line: number; text: string }[];
}

/** Refuses (JournalPendingError) while a phase is unfinished: its tree's figures are not the repo's. */
export async function repoStatus(repo: string): Promise<RepoStatus> {
  assertNoJournal(repo);
  const snapshot = await RepoSnapshot.open(repo);
  const done = await committedPhases(repo);
  const phases: PhaseState[] = snapshot.phases.all.map(({ phase, builtin }) => {
    const base = { phase: phase.name, description: phase.description, custom: !builtin };
    if (!snapshot.phases.isSelected(phase.name)) return { ...base, state: 'not-selected' };
    const rec = done.get(phase.name);
    if (rec) return { ...base, state: 'done', commit: rec.commit.sha };
    const missing = snapshot.phases.selectedBefore(phase.name).filter((e) => !done.has(e.phase.name)).map((e) => e.phase.name);
    if (missing.length) return { ...base, state: 'blocked', why: `waits for ${missing.join(', ')}` };
    return { ...base, state: 'pending' };
  });
  const figures = await snapshot.figures();
  const sites = Object.values(figures.legacySitesByFile);
  const use = await legacyUse(snapshot);
  return {
    phases,
    compliance: figures.compliance,
    legacyImportSites: sites.reduce((a, b) => a + b, 0),
    legacyFiles: sites.length,
    todoMarkers: use.markers.map((m) => ({ file: m.file, line: m.line, text: m.message })),
  };
}
