/**
 * A file the manifest's `deletions` delete whole is not a call site: remove-shim deletes it, so
 * remove-adapters neither rewrites it nor lists it as needing review. The shape of
 * viihna-lehraine/ShoutShack: a class used through its statics (`WebSocketManager.handleConnection(ws,
 * req)`), whose unit test reads the private static state (`(WebSocketManager as any).clients`) and
 * is listed in `deletions`; the first run there listed 5 review items for that test (4 reads of the
 * class, 1 rewrite withdrawn for a type error in a mock) beside the 3 of a test that stays.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeGitRepo } from '../../test/helpers/git-repo.js';
import { RepoSnapshot } from '../snapshot/snapshot.js';
import { planRemoveAdapters } from './index.js';

const repos: string[] = [];
afterAll(() => repos.forEach((r) => rmSync(r, { recursive: true, force: true })));

const canonical = 'export interface HubOperations { connect(userId: string, socket: { send(data: string): void }): string; broadcastAll(message: Record<string, unknown>): number }\nexport declare function hubOperations(): HubOperations;\n';
const legacy = 'type Sock = { send(data: string): void };\nexport class Manager {\n  private static clients = new Set<Sock>();\n  static handleConnection(ws: Sock, id: string) { Manager.clients.add(ws); ws.send(id); }\n  static broadcast(message: string) { Manager.clients.forEach((ws) => ws.send(message)); }\n}\n';
const server = "import { Manager } from '../ws/manager.js';\n\nexport function onConnection(ws: { send(data: string): void }, id: string): void {\n  Manager.handleConnection(ws, id);\n}\n";
const unitTest = "import { Manager } from '../src/ws/manager.js';\n\nexport function check(ws: { send(data: string): void }): number {\n  Manager.handleConnection(ws, 'a');\n  Manager.broadcast('hi');\n  return (Manager as any).clients.size;\n}\n";

async function plan(deletions: unknown[]) {
  const repo = makeGitRepo('ssot-deletions-', {
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', noEmit: true, types: [], paths: { canon: ['./src/canonical.ts'] } } }),
    'src/canonical.ts': canonical,
    'src/ws/manager.ts': legacy,
    'src/app/server.ts': server,
    'tests/manager.test.ts': unitTest,
    'ssot.config.json': JSON.stringify({
      canonical: { module: 'canon', exports: ['hubOperations'] },
      legacy: [{ id: 'LEG001', module: 'src/ws/manager', symbols: {} }],
      classes: [{ module: 'src/ws/manager', class: 'Manager', members: {}, statics: { handleConnection: '$hub.connect($2, $1)', broadcast: '$hub.broadcastAll({ message: $1 })' } }],
      deletions,
      verify: { typecheck: 'npx tsc --noEmit', test: 'true' },
    }),
  });
  repos.push(repo);
  return planRemoveAdapters(await RepoSnapshot.open(repo));
}

describe('remove-adapters: files the manifest deletes', () => {
  it('a listed file is neither rewritten nor reviewed; the file that stays is rewritten', async () => {
    const p = await plan([{ path: 'tests/manager.test.ts', reason: 'the unit test of the legacy class' }]);
    expect(p.writes.map((w) => w.path)).toEqual(['src/app/server.ts']);
    expect(String(p.writes[0]!.content)).toContain('hubOperations().connect(id, ws);');
    expect(p.needsReview).toEqual([]);
  }, 120_000);

  it('without the deletions entry the same test is a call site (rewritten, its class read marked)', async () => {
    const p = await plan([]);
    expect(p.writes.map((w) => w.path).sort()).toEqual(['src/app/server.ts', 'tests/manager.test.ts']);
    expect(p.needsReview.map((r) => r.file)).toEqual(['tests/manager.test.ts']);
  }, 120_000);
});
