/**
 * `run --all` on a small object-manager backend (test/object-backend/app.ts: an object literal
 * over a module-level Map, its methods calling each other through `this`, a getter and a field),
 * a real git repo, with only its manifest as human input (`classes[]` naming the const, a template
 * per member): every phase one verified commit (the app's own typecheck and its loopback tests).
 * At strangle's commit the facade is exercised at run time in all four modes over a real loopback
 * socket (canonical, legacy rollback, strict, shadow) with per-call-site telemetry; then
 * remove-adapters rewrites every member use to its template, remove-shim (on a stated reason)
 * deletes the module, and the migrated app's own tests still pass through the canonical hub.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATIVE_TSC } from '../helpers/fixture-manifest.js';
import { git, makeLinkedBackendRepo } from '../helpers/git-repo.js';
import { expectCommittedTreeVerified, expectEveryPhaseCommitted, expectLegacyRemoved, migrateEveryPhase, type PhasedMigration } from '../helpers/phased-migration.js';
import { APP_FILES, MODES_TEST, appManifest } from './app.js';

const REASON = 'a generated test backend: never deployed, no process to observe';

let repo = '';
let m: PhasedMigration;
const byPhase = (name: string) => m.byPhase(name);

beforeAll(async () => {
  repo = makeLinkedBackendRepo('obj-backend-', { ...APP_FILES, 'ssot.config.json': `${JSON.stringify(appManifest(), null, 2)}\n` });
  m = await migrateEveryPhase(repo, { withoutTelemetry: REASON, facadeFile: 'src/orderFeed.ts' });
}, 900_000);

afterAll(() => {
  if (repo && process.env['SSOT_KEEP_E2E'] !== '1') {
    if (existsSync(path.join(repo, '..', `${path.basename(repo)}-strangled`))) git(repo, 'worktree', 'remove', '--force', path.join(repo, '..', `${path.basename(repo)}-strangled`));
    rmSync(repo, { recursive: true, force: true });
  }
});

describe('run --all on an object-manager backend (classes[] naming a const that holds an object literal)', () => {
  it('commits every phase, each verified by the app own typecheck and its 2 loopback tests', () => {
    expectEveryPhaseCommitted(m, /typecheck 0->0 errors; tests 2\/2 passed -> 2\/2 passed/);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('strangle routes the object member by member through the shim, its table typed by the frozen object', () => {
    expect(m.facade).toContain('const canonicalOrderFeed = canonicalTable<typeof frozen.orderFeed>({');
    expect(m.facade).toContain("export const orderFeed = defineLegacyObject(spec('OBJ001', 'orderFeed'), frozen.orderFeed, { canonical: canonicalOrderFeed });");
    expect(m.facade).toMatch(/properties: \{\n {4}label: \(_self\) => 'order-feed',\n {4}watchedOrders: \(self\) => self\.hub\.listConnectedUsers\(\)\.length,\n {2}\},/);
    expect(byPhase('strangle').needsReview ?? []).toEqual([]);
  });

  it("at strangle's commit the facade serves in all four modes over a real loopback socket, with telemetry per call site", () => {
    const strangle = git(repo, 'log', '--format=%H', '--grep', '^ssot(strangle)').trim();
    const wt = path.join(repo, '..', `${path.basename(repo)}-strangled`);
    git(repo, 'worktree', 'add', '-q', '--detach', wt, strangle);
    symlinkSync(path.join(repo, 'node_modules'), path.join(wt, 'node_modules'));
    writeFileSync(path.join(wt, 'test/modes.test.ts'), MODES_TEST);
    // typed as the app is (the facade's declared type is the frozen object's)
    execFileSync(path.join(wt, NATIVE_TSC), ['--noEmit'], { cwd: wt, encoding: 'utf8' });
    const out = execFileSync(path.join(wt, 'node_modules/.bin/vitest'), ['run', 'test/modes.test.ts'], { cwd: wt, encoding: 'utf8', env: { ...process.env, CI: '1', SSOT_SHIM_TOGGLES: 'off', SSOT_SHIM_TELEMETRY: 'off' } });
    expect(out).toMatch(/5 passed/);
  }, 120_000);

  it('remove-adapters rewrites every member use to its template and reaches 100%', () => {
    const ra = byPhase('remove-adapters');
    expect(ra.compliance?.after).toBe(100);
    expect(ra.needsReview ?? []).toEqual([]);
    const orders = readFileSync(path.join(repo, 'src/orders.ts'), 'utf8');
    expect(orders).toContain("hubOperations().sendToUser(orderId, { type: 'order_status', orderId: orderId, status: 'shipped' });");
    expect(orders).not.toContain('orderFeed');
    const server = readFileSync(path.join(repo, 'src/server.ts'), 'utf8');
    expect(server).toContain('hubOperations().connect(orderId, ws)');
    expect(server).not.toContain('orderFeed');
  });

  it('remove-shim deletes the module and its frozen body, verified, at 100% with no TODO(ssot)', () => {
    expectLegacyRemoved(m, repo, 'src/orderFeed.ts', ['src/orders.ts', 'src/server.ts', 'test/orders.test.ts']);
  });

  it("the migrated app's own loopback tests still pass through the canonical hub", async () => {
    // as remove-shim's verification ran them on the final tree (the runner's figures for HEAD, not a second vitest run)
    expect(git(repo, 'rev-parse', 'HEAD').trim()).toBe(m.byPhase('remove-shim').commit);
    await expectCommittedTreeVerified(repo, 2);
  });
});
