/** Public surface of codemods/strangle: the phase-1 planner and the pieces remove-shim shares. */
import type { Project } from 'ts-morph';
import type { PhasePlan } from '../phase/types.js';
import type { RepoSnapshot } from '../snapshot/snapshot.js';
import { isFacadeText, legacyModuleIds, moduleFiles } from './layout.js';
import { planStrangleTree } from './plan.js';

export { planStrangleTree, gitignoreWrite, withExclude, TELEMETRY_IGNORE, type StrangleTree } from './plan.js';
export { FACADE_MARKER, frozenPathOf, isFacadeText, isFrozenFile, legacyModuleIds, moduleFiles } from './layout.js';
export { renderFacade } from './facade.js';
export { templateToMapping } from '../../manifest/templates.js';

/** Phase 1 plan: the facades, frozen files, .gitignore and exclude entries, from the snapshot. */
export async function planStrangle(snapshot: RepoSnapshot): Promise<PhasePlan> {
  // the ts-morph project is built only when some module is left to strangle
  let project: Project | undefined;
  const files = [...snapshot.repoFiles];
  const modules = moduleFiles(legacyModuleIds(snapshot.manifest), files);
  const todo = [...modules.values()].filter((f) => !isFacadeText(snapshot.read(f) ?? ''));
  if (todo.length) project = await snapshot.project(todo);
  return planStrangleTree(
    {
      root: snapshot.repo,
      files,
      read: (f) => snapshot.read(f),
      resolver: snapshot.resolver,
      project: () => project!,
    },
    snapshot.manifest,
  );
}
