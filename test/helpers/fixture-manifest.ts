/** Test support: a full manifest from the parts a fixture cares about. */
import type { CanonicalSpec, SsotManifest } from '../../manifest/types.js';

/** Fill the manifest fields a fixture leaves out. */
export function withDefaults(m: Partial<SsotManifest>): SsotManifest {
  if (!m.canonical || typeof m.canonical.module !== 'string') throw new Error('fixture manifest: canonical.module is required');
  return {
    canonical: {
      exports: [],
      contextType: 'UserExecutionContext',
      factory: 'createWebSocketManager',
      ...(m.canonical as Partial<CanonicalSpec>),
    } as CanonicalSpec,
    legacy: m.legacy ?? [],
    adapters: m.adapters ?? [],
    classes: m.classes ?? [],
    functions: m.functions ?? [],
    ...(m.factory ? { factory: m.factory } : {}),
    ...(m.constructions ? { constructions: m.constructions } : {}),
    ...(m.instances ? { instances: m.instances } : {}),
    contextSources: m.contextSources ?? [],
    publicApi: m.publicApi ?? [],
    duplicateTypes: m.duplicateTypes ?? [],
    moves: m.moves ?? [],
    splits: m.splits ?? [],
    deletions: m.deletions ?? [],
    ...(m.phases ? { phases: m.phases } : {}),
    customPhases: m.customPhases ?? [],
    comments: m.comments ?? { legacyMentions: 'report' },
    verify: m.verify ?? { typecheck: 'npx tsc --noEmit', test: 'npm test' },
    exclude: m.exclude ?? [],
    tsconfig: m.tsconfig ?? 'tsconfig.json',
  };
}

/**
 * The verify block of the TypeScript test backends whose apps test with vitest: the tools' own bins,
 * not npx (npx costs ~1 s of CPU a call, two calls a verification, ~8 verifications a migration).
 */
export const BIN_VERIFY = { typecheck: 'node_modules/.bin/tsc --noEmit', test: 'node_modules/.bin/vitest run', testReport: 'reports/junit.xml' };
