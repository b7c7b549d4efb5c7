/**
 * `run --all` on a small free-function backend (test/free-function-backend/app.ts: a module of
 * functions over a module-level Map of sockets, no class; used through a named, an aliased and a
 * namespace import), a real git repo, with only its manifest as human input (`functions[]`: one
 * template per function): every phase one verified commit (the app's own typecheck and its tests,
 * which open real WebSocket clients on loopback), strangle's facade routing each function through
 * the shim, remove-adapters expanding every call to its template, remove-shim (on a stated reason)
 * deleting the module: 100% compliance, no `TODO(ssot)`, and after the migration a real client
 * still receives what `sendToUser` sends, now through the canonical hub.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, makeLinkedBackendRepo } from '../helpers/git-repo.js';
import { expectCommittedTreeVerified, expectEveryPhaseCommitted, expectLegacyRemoved, migrateEveryPhase, type PhasedMigration } from '../helpers/phased-migration.js';
import { APP_FILES, appManifest } from './app.js';

const REASON = 'a generated test backend: never deployed, no process to observe';

let repo = '';
let m: PhasedMigration;
const byPhase = (name: string) => m.byPhase(name);

beforeAll(async () => {
  repo = makeLinkedBackendRepo('fn-backend-', { ...APP_FILES, 'ssot.config.json': `${JSON.stringify(appManifest(), null, 2)}\n` });
  m = await migrateEveryPhase(repo, { withoutTelemetry: REASON, facadeFile: 'src/wsConnections.ts' });
}, 900_000);

afterAll(() => {
  if (repo && process.env['SSOT_KEEP_E2E'] !== '1') rmSync(repo, { recursive: true, force: true });
});

describe('run --all on a free-function backend (functions[])', () => {
  it('commits every phase, each verified by the app own typecheck and its 3 loopback tests', () => {
    expectEveryPhaseCommitted(m, /typecheck 0->0 errors; tests 3\/3 passed -> 3\/3 passed/);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('strangle routes each function through the shim per deprecation id, typed from its template', () => {
    expect(m.facade).toContain("export const sendToUser = defineLegacyFreeFunction(spec('FNB001', 'sendToUser'), frozen.sendToUser, { canonical: (self, a1, a2) => self.hub.sendToUser(a1, a2 as Record<string, unknown>), detached: true });");
    expect(m.facade).toContain("export const broadcast = defineLegacyFreeFunction(spec('FNB001', 'broadcast'), frozen.broadcast,");
    expect(m.facade).not.toContain('defaultMode');
  });

  it('rewrite-imports leaves the functions to remove-adapters without calling them unmapped', () => {
    const review = byPhase('rewrite-imports').needsReview ?? [];
    expect(review.filter((r) => /unmapped/.test(r.message))).toEqual([]);
  });

  it('remove-adapters expands every call to its template (aliased and namespace imports too) and reaches 100%', () => {
    const ra = byPhase('remove-adapters');
    expect(ra.compliance?.after).toBe(100);
    expect(ra.needsReview ?? []).toEqual([]);
    const notify = readFileSync(path.join(repo, 'src/notify.ts'), 'utf8');
    expect(notify).toContain("hubOperations().sendToUser(userId, ({ type: 'order_shipped', orderId }) as Record<string, unknown>);");
    expect(notify).toContain('hubOperations().broadcastAll(');
    expect(notify).not.toMatch(/wsConnections|\bpush\(|ws\.broadcast/);
    const server = readFileSync(path.join(repo, 'src/server.ts'), 'utf8');
    expect(server).toContain('hubOperations().connect(userId, ws);');
    expect(server).not.toContain('wsConnections');
  });

  it('remove-shim deletes the module and its frozen body, verified, at 100% with no TODO(ssot)', () => {
    expectLegacyRemoved(m, repo, 'src/wsConnections.ts', ['src/notify.ts', 'src/server.ts', 'test/notify.test.ts']);
  });

  it("the migrated app's own loopback tests still pass: a real client receives sendToUser through the canonical hub", async () => {
    // as remove-shim's verification ran them on the final tree (the runner's figures for HEAD, not a second vitest run)
    expect(git(repo, 'rev-parse', 'HEAD').trim()).toBe(m.byPhase('remove-shim').commit);
    await expectCommittedTreeVerified(repo, 3);
  });
});
