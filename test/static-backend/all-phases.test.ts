/**
 * `run --all` on a small backend whose socket layer is a default-exported class used only through
 * its statics (test/static-backend/app.ts), a real git repo, with only its manifest as human input
 * (`classes[].statics`: one template per static): every phase one verified commit (the app's own
 * typecheck and its tests, which open real WebSocket clients on loopback), strangle's facade routing
 * each static through the shim, rewrite-imports leaving the class to remove-adapters,
 * remove-adapters expanding every static call (server wiring, an HTTP-ish handler, a job) to its
 * template, remove-shim (on a stated reason) deleting the class: 100% compliance, no `TODO(ssot)`,
 * and after the migration the app's smoke tests pass on loopback against the canonical hub.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, makeLinkedBackendRepo } from '../helpers/git-repo.js';
import { expectCommittedTreeVerified, expectEveryPhaseCommitted, expectLegacyRemoved, migrateEveryPhase, type PhasedMigration } from '../helpers/phased-migration.js';
import { APP_FILES, LEGACY_FILE, appManifest } from './app.js';

const REASON = 'a generated test backend: never deployed, no process to observe';

let repo = '';
let m: PhasedMigration;
const byPhase = (name: string) => m.byPhase(name);

beforeAll(async () => {
  repo = makeLinkedBackendRepo('static-backend-', { ...APP_FILES, 'ssot.config.json': `${JSON.stringify(appManifest(), null, 2)}\n` });
  m = await migrateEveryPhase(repo, { withoutTelemetry: REASON, facadeFile: LEGACY_FILE });
}, 900_000);

afterAll(() => {
  if (repo && process.env['SSOT_KEEP_E2E'] !== '1') rmSync(repo, { recursive: true, force: true });
});

describe('run --all on a static-class backend (classes[].statics)', () => {
  it('commits every phase, each verified by the app own typecheck and its 3 loopback tests', () => {
    expectEveryPhaseCommitted(m, /typecheck 0->0 errors; tests 3\/3 passed -> 3\/3 passed/);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('discover counts the class users as legacy import sites and proposes no split (its used statics are templated)', () => {
    const subject = git(repo, 'log', '--format=%s', '--grep', '^ssot(discover)').trim();
    expect(subject).toContain('3 import site(s)');
    expect(subject).toContain('compliance 0.0%');
    expect(subject).not.toMatch(/[1-9]\d* proposed split/);
  });

  it('strangle routes each static through the shim, typed from its template, canonical by default', () => {
    expect(m.facade).toContain('staticTable<typeof frozen.default>({');
    expect(m.facade).toContain('emitDataToUser: (self, a1, a2, a3) => self.hub.sendToUser(a1, { type: a2, payload: a3 }),');
    expect(m.facade).toContain("defineLegacyManagerAlias(spec('STB001', 'default'), frozen.default, {");
    expect(m.facade).not.toContain('defaultMode');
  });

  it('rewrite-imports leaves the class to remove-adapters without calling it unmapped', () => {
    const review = byPhase('rewrite-imports').needsReview ?? [];
    expect(review.filter((r) => /unmapped/.test(r.message))).toEqual([]);
  });

  it('remove-adapters expands every static call to its template (server wiring, handler, job) and reaches 100%', () => {
    const ra = byPhase('remove-adapters');
    expect(ra.compliance?.after).toBe(100);
    expect(ra.needsReview ?? []).toEqual([]);
    const orders = readFileSync(path.join(repo, 'src/handlers/orders.ts'), 'utf8');
    expect(orders).toContain("hubOperations().sendToUser(req.userId, { type: 'order_created', payload: order });");
    const job = readFileSync(path.join(repo, 'src/jobs/digest.ts'), 'utf8');
    expect(job).toContain("subscribers.forEach((userId) => hubOperations().sendToUser(userId, { type: 'daily_digest', payload: { day, items: subscribers.length } }));");
    const server = readFileSync(path.join(repo, 'src/server.ts'), 'utf8');
    expect(server).toContain('hubOperations().connect(userId, ws);');
    for (const text of [orders, job, server]) expect(text).not.toMatch(/WebSocketClients|Clients\./);
  });

  it('remove-shim deletes the class and its frozen body, verified, at 100% with no TODO(ssot)', () => {
    expectLegacyRemoved(m, repo, LEGACY_FILE, ['src/handlers/orders.ts', 'src/jobs/digest.ts', 'src/server.ts', 'test/app.test.ts']);
  });

  it("the migrated app's own smoke tests pass on real loopback sockets against the canonical hub", async () => {
    // as remove-shim's verification ran them on the final tree (the runner's figures for HEAD, not a second vitest run)
    expect(git(repo, 'rev-parse', 'HEAD').trim()).toBe(m.byPhase('remove-shim').commit);
    await expectCommittedTreeVerified(repo, 3);
  });
});
