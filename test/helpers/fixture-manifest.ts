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
 * TypeScript 7's tsc (the native compiler), app-relative: the test apps' node_modules link every entry
 * of the toolkit's, typescript-native among them (test/tools/typescript-native, a devDependency nesting
 * typescript@7 so its `tsc` bin never takes node_modules/.bin/tsc from the toolkit's own TypeScript 5.9,
 * which the toolkit's code and examples/legacy-app keep). A verification's typecheck of a test app with
 * it: ~0.7 CPU-s instead of ~3.1 (TypeScript 5.9 spends ~2.6 s parsing the ~87k lines of .d.ts the app
 * sees: @types/node, vitest's, the canonical declarations'), the same errors (test/object-backend/type-error.test.ts).
 */
export const NATIVE_TSC = 'node_modules/typescript-native/node_modules/typescript/bin/tsc';

/**
 * The verify block of the TypeScript test backends whose apps test with vitest: the tools' own bins,
 * not npx (npx costs ~1 s of CPU a call, two calls a verification, ~8 verifications a migration), and
 * TypeScript 7's tsc (NATIVE_TSC), as a team on TypeScript 7 would have it.
 */
export const BIN_VERIFY = { typecheck: `${NATIVE_TSC} --noEmit`, test: 'node_modules/.bin/vitest run', testReport: 'reports/junit.xml' };
