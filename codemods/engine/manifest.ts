import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CanonicalSpec, SsotManifest } from '../../manifest/types.js';

export class ManifestLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestLoadError';
  }
}

const loaderPath = fileURLToPath(new URL('../../manifest/index.ts', import.meta.url));

/**
 * The repo's manifest. Uses the validating loader (manifest/index.ts) when it exists; until it
 * lands, reads ssot.config.json and fills the documented defaults.
 */
export async function loadRepoManifest(repoDir: string): Promise<SsotManifest> {
  if (existsSync(loaderPath)) {
    const mod = (await import(pathToFileURL(loaderPath).href)) as { loadManifest?: (dir: string) => unknown };
    if (typeof mod.loadManifest === 'function') return (await mod.loadManifest(repoDir)) as SsotManifest;
  }
  const path = join(repoDir, 'ssot.config.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ManifestLoadError(`cannot read ${path}: ${(err as Error).message}`);
  }
  return withDefaults(raw as Partial<SsotManifest>);
}

/** Fill optional manifest fields (also used by fixture manifests in tests). */
export function withDefaults(m: Partial<SsotManifest>): SsotManifest {
  if (!m.canonical || typeof m.canonical.module !== 'string') throw new ManifestLoadError('manifest: canonical.module is required');
  return {
    canonical: {
      exports: [],
      contextType: 'UserExecutionContext',
      factory: 'createWebSocketManager',
      ...(m.canonical as Partial<CanonicalSpec>),
    } as CanonicalSpec,
    legacy: m.legacy ?? [],
    adapters: m.adapters ?? [],
    ...(m.factory ? { factory: m.factory } : {}),
    duplicateTypes: m.duplicateTypes ?? [],
    phases: m.phases ?? [],
    verify: m.verify ?? { typecheck: 'npx tsc --noEmit', test: 'npm test' },
    exclude: m.exclude ?? [],
    tsconfig: m.tsconfig ?? 'tsconfig.json',
  };
}
