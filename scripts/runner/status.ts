/** `status`: each phase done / pending / blocked (and why), compliance, what is left. */
import { $ } from 'zx';
import { PHASES, type PhaseName } from '../../manifest/types.js';
import { loadManifest } from '../../manifest/index.js';
import { committedPhases } from './ledger.js';
import { defaultToolkit, type PhaseToolkit } from './planners.js';

export interface PhaseState {
  phase: PhaseName;
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

export async function todoMarkers(repo: string): Promise<RepoStatus['todoMarkers']> {
  const r = await $({ cwd: repo, quiet: true, nothrow: true })`git grep -n -I --untracked ${'TODO(ssot)'}`;
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const m = /^(.*?):(\d+):(.*)$/.exec(l);
      return m ? { file: m[1]!, line: Number(m[2]), text: m[3]!.trim() } : { file: l, line: 0, text: '' };
    });
}

export async function repoStatus(repo: string, toolkit: PhaseToolkit = defaultToolkit): Promise<RepoStatus> {
  const manifest = await loadManifest(repo);
  const done = await committedPhases(repo);
  const phases: PhaseState[] = PHASES.map((phase) => {
    if (!manifest.phases.includes(phase)) return { phase, state: 'not-selected' };
    const rec = done.get(phase);
    if (rec) return { phase, state: 'done', commit: rec.commit.sha };
    const missing = manifest.phases.filter((p: PhaseName) => PHASES.indexOf(p) < PHASES.indexOf(phase) && !done.has(p));
    if (!toolkit.planners[phase]) return { phase, state: 'blocked', why: 'not built yet in this version of ssot-migrate' };
    if (missing.length) return { phase, state: 'blocked', why: `waits for ${missing.join(', ')}` };
    return { phase, state: 'pending' };
  });
  const figures = await toolkit.figures(repo, manifest);
  const sites = Object.values(figures.legacySitesByFile);
  return {
    phases,
    compliance: figures.compliance,
    legacyImportSites: sites.reduce((a, b) => a + b, 0),
    legacyFiles: sites.length,
    todoMarkers: await todoMarkers(repo),
  };
}
