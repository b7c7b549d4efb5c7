/**
 * The only place the runner meets the codemods: phase name → planner, and the figures
 * (compliance, legacy sites) read from the inventory. A phase missing here is "not built".
 */
import type { PhaseName } from '../../manifest/types.js';
import type { FigureSource, PhasePlanner } from './plan.js';

export interface PhaseToolkit {
  planners: Partial<Record<PhaseName, PhasePlanner>>;
  figures: FigureSource;
}

export const defaultToolkit: PhaseToolkit = {
  planners: {},
  figures: async () => {
    throw new Error('discover is not wired into the runner yet');
  },
};
