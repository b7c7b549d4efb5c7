/** remove-adapters' analysis of some of relay-backend's files, on a project loaded from its tsconfig as the phase loads it (read-only). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project } from 'ts-morph';
import { analyzeRemoveAdapters } from '../../codemods/remove-adapters/index.js';
import type { SsotManifest } from '../../manifest/types.js';

export const RELAY_APP = fileURLToPath(new URL('../../examples/relay-backend', import.meta.url));

export function analyzeApp(manifest: SsotManifest, files: readonly string[]) {
  const project = new Project({ tsConfigFilePath: join(RELAY_APP, 'tsconfig.json'), skipAddingFilesFromTsConfig: true });
  const read = (f: string) => readFileSync(join(RELAY_APP, f), 'utf8');
  const load = (fs: readonly string[]) => {
    for (const f of fs) project.addSourceFileAtPathIfExists(join(RELAY_APP, f));
    project.resolveSourceFileDependencies();
    return project;
  };
  return { project, read, r: analyzeRemoveAdapters(RELAY_APP, manifest, [...files], read, load) };
}
