/**
 * A plain JavaScript backend (ESM `.js`, no types, no tsconfig): a legacy module declaring a
 * manager class with a `#private` method and exporting one instance of it, called from handlers
 * (one call whose legacy promise is dropped in a synchronous function). `init` drafts the
 * manifest from the `.js` files, every phase commits verified by `tsc --allowJs --checkJs` and a
 * loopback WebSocket test, and remove-shim ends at 100% — with no type syntax written into a
 * JavaScript file (the facade, the rejection handler) and the type guard checking the rewrites
 * as checkJs does (a repo of JavaScript with no tsconfig still has one).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkJsVerify, migrateDraftedBackend, removeDraftedBackend, type DraftedBackend } from '../helpers/js-backend.js';
import { expectEveryPhaseCommitted, type PhasedMigration } from '../helpers/phased-migration.js';

const FILES: Record<string, string> = {
  'package.json': `${JSON.stringify({ name: 'js-backend', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
  '.gitignore': 'node_modules/\n',
  'src/presence.js': `// Who is online, and what each user's socket gets.
class PresenceHub
{
\tconstructor()
\t{
\t\tthis._sockets = new Map(); // userId -> socket
\t}

\tadd(userId, socket)
\t{
\t\tthis._sockets.set(userId, socket);
\t}

\tdrop(userId)
\t{
\t\tthis._sockets.delete(userId);
\t}

\tonline(userId)
\t{
\t\treturn (this._sockets.has(userId));
\t}

\tasync notify(userId, event, data)
\t{
\t\tthis.#write(this._sockets.get(userId), event, data);
\t}

\t#write(socket, event, data)
\t{
\t\tif (socket)
\t\t\tsocket.send(JSON.stringify({ event, data }));
\t}
}

export const presenceHub = new PresenceHub();
`,
  'src/handlers.js': `import { presenceHub } from './presence.js';

export function onConnect(socket, userId)
{
\tpresenceHub.add(userId, socket);
}

export function onClose(userId)
{
\tif (!presenceHub.online(userId))
\t\treturn;
\tpresenceHub.drop(userId);
}

export function ping(userId)
{
\tpresenceHub.notify(userId, 'ping', { at: 1 });
}
`,
  // a real socket on loopback: the handlers register it and ping reaches the client in the legacy wire format
  'test/smoke.js': `import { WebSocketServer, WebSocket } from 'ws';
import { onConnect, onClose, ping } from '../src/handlers.js';

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
await new Promise((r) => wss.on('listening', r));
wss.on('connection', (socket) => { onConnect(socket, '42'); socket.on('close', () => onClose('42')); });
const { port } = /** @type {import('node:net').AddressInfo} */ (wss.address());
const client = new WebSocket('ws://127.0.0.1:' + port);
const got = new Promise((r) => client.on('message', (d) => r(String(d))));
await new Promise((r) => client.on('open', r));
await new Promise((r) => setTimeout(r, 50));
ping('42');
const frame = await got;
client.close();
wss.close();
if (frame !== JSON.stringify({ event: 'ping', data: { at: 1 } })) { console.error('unexpected frame', frame); process.exit(1); }
console.log('ok', frame);
process.exit(0);
`,
};

/** The person's decisions on init's draft: each member a hub call in the legacy wire format (init drafts the instance as the hub). */
function decide(draft: Record<string, unknown>): Record<string, unknown> {
  const m = structuredClone(draft) as {
    canonical: { exports: string[] };
    classes: Array<{ members: Record<string, string> }>;
    verify: Record<string, string>;
  };
  m.canonical.exports = [...new Set([...m.canonical.exports, 'hubOperations'])];
  m.classes[0]!.members = {
    add: '$hub.connect(String($1), $2)',
    drop: '[...$hub.hub.getUserConnections(String($1))].forEach((id) => $hub.disconnect(id))',
    online: '$hub.isOnline(String($1))',
    notify: 'Promise.resolve($hub.sendToUser(String($1), { event: $2, data: $3 }))',
  };
  m.verify = checkJsVerify('src/*.js test/*.js');
  return m;
}

let repo = '';
let draft: DraftedBackend['draft'] | undefined;
let m: PhasedMigration;

beforeAll(async () => {
  ({ repo, draft, m } = await migrateDraftedBackend({ name: 'js-backend', files: FILES, legacy: ['src/presence.js'], decide, facadeFile: 'src/presence.js', withoutTelemetry: 'a generated JavaScript test backend' }));
}, 900_000);

afterAll(() => removeDraftedBackend(repo));

describe('a plain JavaScript backend, manifest only', () => {
  it('init drafts the manifest from the .js files: the legacy module, its class with the used members, the exported instance', () => {
    expect(draft!.manifest.legacy.map((l) => l.module)).toEqual(['src/presence']);
    expect(draft!.findings.classes.map((c) => c.class)).toEqual(['PresenceHub']);
    expect(draft!.findings.classes[0]!.members.map((u) => u.member).sort()).toEqual(['add', 'drop', 'notify', 'online']);
    // its users only call members: the instances[] entry is drafted and nothing about it is left to decide
    expect(draft!.manifest.instances).toEqual([{ module: 'src/presence', name: 'presenceHub', replacement: '$hub' }]);
    expect(draft!.todo.filter((t) => t.field.startsWith('instances'))).toEqual([]);
  });

  it('commits every phase, each verified by checkJs and the loopback test, and ends at 100% with the module deleted', () => {
    expectEveryPhaseCommitted(m, /typecheck 0->0 errors; tests pass -> pass/);
    expect(m.shim?.compliance?.after).toBe(100);
    expect(existsSync(path.join(repo, 'src/presence.js'))).toBe(false);
    expect(existsSync(path.join(repo, 'src/presence.legacy.js'))).toBe(false);
    expect(execFileSync('node', ['test/smoke.js'], { cwd: repo, encoding: 'utf8' })).toContain('ok {"event":"ping","data":{"at":1}}');
  });

  it('the facade is JavaScript: frozen body beside it as presence.legacy.js, no type syntax', () => {
    expect(m.facade).toContain("from './presence.legacy.js'");
    expect(m.facade).not.toMatch(/: Record<|: string\b|export type /);
  });

  it('the rewritten handlers are JavaScript too: the dropped promise gets an untyped rejection handler', () => {
    const handlers = readFileSync(path.join(repo, 'src/handlers.js'), 'utf8');
    expect(handlers).toContain("import { hubOperations } from 'ssot-migrate/canonical';");
    expect(handlers).toContain("void Promise.resolve(hubOperations().sendToUser(String(userId), { event: 'ping', data: { at: 1 } })).catch((error) => console.error(error));");
    expect(handlers).not.toContain('presenceHub');
    expect(handlers).not.toContain('error: unknown');
  });
});
