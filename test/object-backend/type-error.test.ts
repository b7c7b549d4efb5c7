/**
 * A phase that breaks only the types of a test backend fails its verification on TypeScript 7's
 * tsc (BIN_VERIFY's typecheck: the native compiler, test/helpers/fixture-manifest.ts NATIVE_TSC), the
 * way it did on TypeScript 5.9's: the app's tests still pass (types are erased at run time), so only
 * the typecheck can catch it. A custom phase (a jscodeshift transform the repo ships) narrows
 * `ship(orderId: string)` to `number`: the call inside it and the test's two calls become TS2345 errors.
 * Both compilers report the same errors (file, line, code) on that tree.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPhase, type PhaseOutcome } from '../../scripts/runner/index.js';
import { typeDiagnostics } from '../../scripts/runner/verify.js';
import { NATIVE_TSC } from '../helpers/fixture-manifest.js';
import { git, makeLinkedBackendRepo } from '../helpers/git-repo.js';
import { APP_FILES, appManifest } from './app.js';

const TOOLKIT_TSC5 = path.resolve(import.meta.dirname, '../../node_modules/typescript/bin/tsc');
const NARROW = "export default (file) => file.source.replace('export function ship(orderId: string)', 'export function ship(orderId: number)');\n";

let repo = '';
let head = '';
let o: PhaseOutcome;

beforeAll(async () => {
  const manifest = { ...appManifest(), phases: ['narrow-ship', 'discover', 'move-declarations', 'strangle', 'consolidate-types', 'rewrite-imports', 'remove-adapters', 'remove-shim'], customPhases: [{ name: 'narrow-ship', kind: 'jscodeshift', path: 'codemods/narrow-ship.mjs', before: 'discover', prefilter: ['ship('] }] };
  repo = makeLinkedBackendRepo('obj-type-error-', { ...APP_FILES, 'codemods/narrow-ship.mjs': NARROW, 'ssot.config.json': `${JSON.stringify(manifest, null, 2)}\n` });
  head = git(repo, 'rev-parse', 'HEAD').trim();
  o = await runPhase(repo, 'narrow-ship');
}, 300_000);

afterAll(() => {
  if (repo) rmSync(repo, { recursive: true, force: true });
});

/** `file:line code` of each error a compiler reports in the repo (its exit code checked non-zero when any). */
function errorsOf(tsc: string): string[] {
  let output = '';
  let code = 0;
  try {
    output = execFileSync(process.execPath, [tsc, '--noEmit'], { cwd: repo, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  } catch (e) {
    const err = e as { stdout: string; status: number };
    output = err.stdout;
    code = err.status;
  }
  const found = typeDiagnostics({ command: tsc, exitCode: code, output, ms: 0 }).map((d) => `${d.file}:${d.line} ${d.code}`);
  expect(code === 0, output).toBe(found.length === 0);
  return found.sort();
}

describe('a phase that breaks only the types of a test backend, verified by TypeScript 7', () => {
  it('fails its verification on the typecheck (3 new TS2345), its tests still passing, and leaves the repo as it was', () => {
    expect(o.status, o.reason).toBe('failed');
    expect(o.verification?.ok).toBe(false);
    expect(o.verification?.summary).toMatch(/^typecheck 0->3 errors; tests 2\/2 passed -> 2\/2 passed/);
    expect(o.reason).toMatch(/src\/orders\.ts:4 TS2345 Argument of type 'number' is not assignable to parameter of type 'string'/);
    expect(o.reason).toMatch(/test\/orders\.test\.ts:30 TS2345 Argument of type 'string' is not assignable to parameter of type 'number'/);
    expect(git(repo, 'rev-parse', 'HEAD').trim()).toBe(head);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('TypeScript 7 and TypeScript 5.9 report the same errors on the clean tree (none) and on the broken one', () => {
    expect(errorsOf(path.join(repo, NATIVE_TSC))).toEqual([]);
    expect(errorsOf(TOOLKIT_TSC5)).toEqual([]);
    const orders = path.join(repo, 'src/orders.ts');
    const clean = readFileSync(orders, 'utf8');
    writeFileSync(orders, clean.replace('export function ship(orderId: string)', 'export function ship(orderId: number)'));
    try {
      const ts7 = errorsOf(path.join(repo, NATIVE_TSC));
      expect(ts7).toEqual(['src/orders.ts:4 TS2345', 'test/orders.test.ts:30 TS2345', 'test/orders.test.ts:46 TS2345']);
      expect(errorsOf(TOOLKIT_TSC5)).toEqual(ts7);
    } finally {
      writeFileSync(orders, clean);
    }
  }, 60_000);
});
