/**
 * The only place the runner meets the codemods: phase name → planner, and the figures
 * (compliance, legacy sites) read from the inventory. A phase missing here is "not built".
 */
import { planRemoveAdapters, planRemoveShim, planStrangle, runTransform, transformPlanner } from '../../codemods/index.js';
import type { PhaseName } from '../../manifest/types.js';
import type { FigureSource, PhasePlanner } from './plan.js';

export interface PhaseToolkit {
  planners: Partial<Record<PhaseName, PhasePlanner>>;
  figures: FigureSource;
}

/** Compliance and legacy import sites per file, from a read-only discover pass. */
export const inventoryFigures: FigureSource = async (repo) => {
  const inv = (await runTransform('discover', repo, { dryRun: true })).inventory!;
  const legacySitesByFile: Record<string, number> = {};
  for (const s of inv.importSites) if (s.target !== 'canonical') legacySitesByFile[s.file] = (legacySitesByFile[s.file] ?? 0) + 1;
  return { compliance: inv.compliance.percent, legacySitesByFile };
};

export const defaultToolkit: PhaseToolkit = {
  planners: {
    discover: transformPlanner('discover'),
    strangle: planStrangle,
    'consolidate-types': transformPlanner('consolidate-types'),
    'rewrite-imports': transformPlanner('rewrite-imports'),
    'remove-adapters': planRemoveAdapters,
    'remove-shim': planRemoveShim,
  },
  figures: inventoryFigures,
};
