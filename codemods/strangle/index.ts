/** Public surface of codemods/strangle: the phase-1 planner and the pieces remove-shim shares. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Project } from 'ts-morph';
import type { SsotManifest } from '../../manifest/types.js';
import type { PhasePlan } from '../../scripts/runner/plan.js';
import { listRepoFiles } from '../engine/files.js';
import { moduleIdOf } from '../engine/module-id.js';
import { ModuleResolver } from '../engine/resolve.js';
import { readResolverData } from '../engine/tsconfig.js';
import { planStrangleTree } from './plan.js';

export { planStrangleTree, gitignoreWrite, withExclude, TELEMETRY_IGNORE, type StrangleTree } from './plan.js';
export { FACADE_MARKER, frozenPathOf, isFacadeText, isFrozenFile, legacyModuleIds, moduleFiles } from './layout.js';
export { renderFacade, templateToMapping } from './facade.js';

/** Reads a file of the repo, or undefined when it does not exist. */
export function repoReader(repo: string): (file: string) => string | undefined {
  return (file) => {
    const abs = join(repo, file);
    return existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
  };
}

/** Phase 1 planner (PhasePlanner): computes the facades, frozen files, .gitignore and exclude entries. */
export async function planStrangle(repo: string, manifest: SsotManifest): Promise<PhasePlan> {
  const files = listRepoFiles(repo);
  const resolver = new ModuleResolver(readResolverData(repo, manifest.tsconfig, [...new Set(files.map(moduleIdOf))]));
  const tsconfig = join(repo, manifest.tsconfig);
  return planStrangleTree(
    {
      root: repo,
      files,
      read: repoReader(repo),
      resolver,
      project: (modules) => {
        const project = new Project({ ...(existsSync(tsconfig) ? { tsConfigFilePath: tsconfig } : {}), skipAddingFilesFromTsConfig: true });
        for (const f of modules) project.addSourceFileAtPath(join(repo, f));
        project.resolveSourceFileDependencies();
        return project;
      },
    },
    manifest,
  );
}
