import { loadManifest } from '../../manifest/index.js';
import type { CanonicalSpec, SsotManifest } from '../../manifest/types.js';

export class ManifestLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestLoadError';
  }
}

/** The repo's manifest, through the validating loader (a bad file is refused naming the field). */
export async function loadRepoManifest(repoDir: string): Promise<SsotManifest> {
  return loadManifest(repoDir);
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
