/**
 * The same free-function backend as a CommonJS repo (the lead's fnrepo shape: no "type":
 * "module", tsconfig `module: commonjs` and no `moduleResolution`, relative imports without
 * extension): `run --all` then remove-shim on a stated reason commit every phase verified by the
 * app's typecheck and its loopback tests. The facade names its file with `__filename` (no
 * `import.meta` in CommonJS) and the package's `typesVersions` resolves `ssot-migrate/shim/facade`
 * and `ssot-migrate/canonical` under node10.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectEveryPhaseCommitted, migrateEveryPhase, type PhasedMigration } from '../helpers/phased-migration.js';
import { makeLinkedBackendRepo } from '../helpers/git-repo.js';
import { APP_FILES, appManifest } from './app.js';


/** APP_FILES as CommonJS: package.json without "type", tsconfig module commonjs, imports without `.js`. */
function commonJsFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [f, text] of Object.entries(APP_FILES)) {
    if (f === 'package.json') out[f] = `${JSON.stringify({ name: 'fn-backend-cjs', version: '1.0.0', private: true, scripts: { typecheck: 'tsc --noEmit', test: 'vitest run' } }, null, 2)}\n`;
    else if (f === 'tsconfig.json') out[f] = `${JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'commonjs', esModuleInterop: true, skipLibCheck: true, noEmit: true, types: ['node'] }, include: ['src', 'test'] }, null, 2)}\n`;
    else if (f === 'vitest.config.ts') out['vitest.config.mts'] = text;
    else out[f] = f.endsWith('.ts') ? text.replace(/from '(\.\.?\/[^']+)\.js'/g, "from '$1'") : text;
  }
  return out;
}

let repo = '';
let m: PhasedMigration;

beforeAll(async () => {
  repo = makeLinkedBackendRepo('fn-backend-cjs-', { ...commonJsFiles(), 'ssot.config.json': `${JSON.stringify(appManifest(), null, 2)}\n` });
  m = await migrateEveryPhase(repo, { withoutTelemetry: 'a generated CommonJS test backend', facadeFile: 'src/wsConnections.ts' });
}, 900_000);

afterAll(() => {
  if (repo && process.env['SSOT_KEEP_E2E'] !== '1') rmSync(repo, { recursive: true, force: true });
});

describe('run --all on the free-function backend as CommonJS', () => {
  it('commits every phase, each verified by the typecheck and the 3 loopback tests, and ends at 100% with the module deleted', () => {
    expectEveryPhaseCommitted(m, /typecheck 0->0 errors; tests 3\/3 passed -> 3\/3 passed/);
    expect(m.shim?.compliance?.after).toBe(100);
    expect(existsSync(path.join(repo, 'src/wsConnections.ts'))).toBe(false);
  });

  it('the facade named its file with __filename, not import.meta', () => {
    expect(m.facade).toContain('facade: __filename');
    expect(m.facade).not.toContain('import.meta');
  });
});
