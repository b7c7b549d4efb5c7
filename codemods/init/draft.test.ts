/**
 * draftManifest on a small in-memory repo with its own names (nothing from the examples): what
 * it detects comes from the code — a class named like a canonical export, a function factory,
 * a constructor adapter, calls through a structural contract — and the draft loads.
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseManifest } from '../../manifest/index.js';
import { draftManifest } from './index.js';

const root = path.resolve(import.meta.dirname, '../..');
const canonicalEntry = path.join(root, 'canonical/index.ts');
const repoDir = '/virtual/init-repo';

/** A small repo's files: a strict NodeNext tsconfig, a package.json with `scripts`, and `sources`. */
const repoFiles = (scripts: Record<string, string>, sources: ReadonlyArray<[string, string]>): Map<string, string> =>
  new Map<string, string>([
    ['tsconfig.json', '{ "compilerOptions": { "strict": true, "module": "NodeNext", "moduleResolution": "NodeNext" } }'],
    ['package.json', JSON.stringify({ name: 'repo', scripts })],
    ...sources,
  ]);

const files = new Map<string, string>([
  ['tsconfig.json', '\uFEFF{ "compilerOptions": { "strict": true, "module": "NodeNext", "moduleResolution": "NodeNext" } }'],
  ['package.json', '{ "name": "x", "scripts": { "test": "vitest run" } }'],
  [
    'lib/bus.ts',
    `export interface SocketLike { send(d: string): void }
export class ConnectionHub {
  private n = 0;
  push(userId: string, text: string): number { this.n++; return text.length + userId.length; }
  isOnline(userId: string): boolean { return userId.length > 0; }
  static make(): ConnectionHub { return new ConnectionHub(); }
}
export function theBus(): ConnectionHub { return bus; }
export function passThrough(h: ConnectionHub): ConnectionHub { return h; }
const bus = new ConnectionHub();
export const LIMIT = 3;
`,
  ],
  ['lib/alias.ts', `export { ConnectionHub as Wire, theBus } from './bus.js';\n`],
  ['lib/contract.ts', `export interface Pushes { push(userId: string, text: string): number }\n`],
  [
    'app/notify.ts',
    `import { theBus, type ConnectionHub } from '../lib/bus.js';
import type { Pushes } from '../lib/contract.js';
export class Notifier {
  constructor(private readonly hub: ConnectionHub, readonly tag: string) {}
  say(u: string): number { return this.hub.push(u, this.tag); }
}
export function run(p: Pushes = theBus()): number {
  const n = new Notifier(theBus(), 'x');
  return p.push('u1', 'a') + theBus().push('u2', 'b') + (theBus().isOnline('u') ? 1 : 0) + n.say('u3');
}
`,
  ],
]);

describe('draftManifest', () => {
  const r = draftManifest({ repoDir, files, canonicalEntry, idPrefix: 'APP' });

  test('legacy modules: the declaring one (canonical-name collision) and its re-exporting alias', () => {
    expect(r.findings.legacyModules).toEqual([
      { module: 'lib/alias', reason: 're-exports lib/bus' },
      { module: 'lib/bus', reason: 'declares SocketLike, ConnectionHub (canonical export names)' },
    ]);
    expect(r.manifest.legacy.map((l) => l.id)).toEqual(['APP001', 'APP002']);
    expect(r.manifest.legacy[0]!.symbols).toEqual({ Wire: 'ConnectionHub', theBus: 'createWebSocketManager' });
    expect(r.manifest.legacy[1]!.symbols).toMatchObject({ SocketLike: 'SocketLike', ConnectionHub: 'ConnectionHub', theBus: 'createWebSocketManager' });
    expect(r.todo).toContainEqual(expect.objectContaining({ field: 'legacy[1].symbols.LIMIT', required: false }));
  });

  test('a barrel that re-exports a legacy module beside other exports is drafted legacy, with a todo saying a person decides whether they are app code (hono-backend-messenger src/ws/index)', () => {
    const withBarrel = new Map(files);
    withBarrel.set('lib/types.ts', 'export interface Frame { type: string }\n');
    withBarrel.set('lib/index.ts', "export { theBus } from './bus.js';\nexport * from './types.js';\nexport const handlers = { open(): void {} };\n");
    const d = draftManifest({ repoDir, files: withBarrel, canonicalEntry, idPrefix: 'APP' });
    expect(d.findings.legacyModules.map((m) => m.module)).toEqual(['lib/alias', 'lib/bus', 'lib/index']);
    expect(d.todo).toContainEqual({ field: 'legacy', what: 'lib/index re-exports lib/bus beside other exports (handlers, Frame): drafted as a legacy module, so remove-shim deletes it with them — if they are app code, take the module out of legacy[] (remove-adapters then drops its legacy re-export once nothing imports it through lib/index), else map them (symbols) or move them (moves)', required: false });
    expect(() => parseManifest(JSON.stringify(d.manifest), 'ssot.config.json')).not.toThrow();
  });

  test('an object manager in a --legacy module (Rushil-Shrivastava/order-execution-engine): a classes[] entry named by the const, its used members counted outside the literal, a $hub template where a same-name operation fits, else an optional TODO', () => {
    const withObject = new Map(files);
    withObject.set('lib/orders.ts', "const clients = new Map<string, { send(d: string): void }>();\nexport const wsManager = {\n  register(id: string, s: { send(d: string): void }) { clients.set(id, s); this.notify(id, {}); },\n  notify: (id: string, p: object) => clients.get(id)?.send(JSON.stringify(p)),\n  isOnline(id: string): boolean { return clients.has(id); },\n  get size(): number { return clients.size; },\n  limit: 3,\n};\n");
    withObject.set('app/orders.ts', "import { wsManager } from '../lib/orders.js';\nexport const go = (): void => wsManager.notify('o1', {});\nexport const on = (): boolean => wsManager.isOnline('o1') && wsManager.isOnline('o2');\nexport const n = (): number => wsManager.size;\n");
    const d = draftManifest({ repoDir, files: withObject, canonicalEntry, idPrefix: 'APP', legacy: ['lib/orders.ts'] });
    const ci = d.manifest.classes.findIndex((c) => c.class === 'wsManager');
    expect(d.manifest.classes[ci]).toEqual({ module: 'lib/orders', class: 'wsManager', members: { isOnline: '$hub.isOnline($1)' } });
    expect(d.findings.classes.find((c) => c.class === 'wsManager')).toEqual({ module: 'lib/orders', class: 'wsManager', object: true, members: [{ member: 'isOnline', uses: 2, template: '$hub.isOnline($1)' }, { member: 'notify', uses: 1 }, { member: 'size', uses: 1 }] });
    // `this.notify` inside the literal is not a use; `register` and `limit` are used nowhere outside it
    expect(d.todo).toContainEqual({ field: `classes[${ci}].members.notify`, what: 'used 1×, no canonical operation of this name: a template ($hub.…, $1..$9) or legacyMembers; until then strangle keeps this id in legacy mode', required: false });
    expect(d.todo).toContainEqual({ field: `classes[${ci}].members.size`, what: 'used 1×, a field or getter read: a template without $1..$9 (e.g. $hub.listConnectedUsers().length), or legacyMembers; until then strangle keeps this id in legacy mode', required: false });
    expect(d.todo.filter((t) => t.what.includes('not drafted'))).toEqual([]);
    // the const is the manager itself, not a declaration to map or move
    expect(d.todo.find((t) => t.field.endsWith('.symbols.wsManager'))?.what).toBe('the object manager itself, imported by 1 non-legacy file(s): its member calls follow its classes[] entry (templates, or legacyMembers); reads of it as a value (passed on, stored) need an instances[] entry');
    expect(() => parseManifest(JSON.stringify(d.manifest), 'ssot.config.json')).not.toThrow();
  });

  test('an object manager member that stores its socket argument (or deletes from that store) and has no template: its TODO names the registration template, so a runtime flip keeps its connections; a member with a drafted template and other members get no hint', () => {
    const withObject = new Map(files);
    withObject.set('lib/rooms.ts', "const rooms = new Map<string, { send(d: string): void }>();\nexport const hub = {\n  enter(id: string, s: { send(d: string): void }): void { rooms.set(id, s); },\n  leave(id: string): void { rooms.delete(id); },\n  say(id: string, t: string): void { rooms.get(id)?.send(t); },\n  isOnline(id: string): boolean { return rooms.has(id); },\n};\n");
    withObject.set('app/rooms.ts', "import { hub } from '../lib/rooms.js';\nexport const go = (s: { send(d: string): void }): void => { hub.enter('a', s); hub.say('a', 'x'); hub.leave('a'); };\nexport const on = (): boolean => hub.isOnline('a');\n");
    const d = draftManifest({ repoDir, files: withObject, canonicalEntry, idPrefix: 'APP', legacy: ['lib/rooms.ts'] });
    const ci = d.manifest.classes.findIndex((c) => c.class === 'hub');
    const what = (m: string) => d.todo.find((t) => t.field === `classes[${ci}].members.${m}`)?.what;
    expect(what('enter')).toBe('used 1×, no canonical operation of this name: a template ($hub.…, $1..$9) or legacyMembers; until then strangle keeps this id in legacy mode; it registers a connection (stores its socket argument in rooms): a template calling $hub.connect(…) also runs it on both sides in every mode, so a runtime flip keeps its connections (registration)');
    expect(what('leave')).toBe('used 1×, no canonical operation of this name: a template ($hub.…, $1..$9) or legacyMembers; until then strangle keeps this id in legacy mode; it unregisters a connection (deletes from rooms): a template calling $hub.disconnect(…) also runs it on both sides in every mode (registration)');
    expect(what('say')).not.toContain('registration');
    expect(d.manifest.classes[ci]!.members).toEqual({ isOnline: '$hub.isOnline($1)' });
    // no explicit list is drafted: the templates a person writes (calling $hub.connect) are found by the shim's default
    expect(d.manifest.classes[ci]!.registration).toBeUndefined();
    expect(() => parseManifest(JSON.stringify(d.manifest), 'ssot.config.json')).not.toThrow();
  });

  test('a class member that stores its socket argument in a field (this.peers.set) gets the same registration hint', () => {
    const withClass = new Map(files);
    withClass.set('lib/lobby.ts', "export class Lobby {\n  private peers = new Map<string, { socket: { send(d: string): void } }>();\n  join(id: string, conn: { socket: { send(d: string): void } }): void { this.peers.set(id, conn); }\n  post(id: string, t: string): void { this.peers.get(id)?.socket.send(t); }\n}\n");
    withClass.set('app/lobby.ts', "import { Lobby } from '../lib/lobby.js';\nexport const go = (l: Lobby, c: { socket: { send(d: string): void } }): void => { l.join('a', c); l.post('a', 'x'); };\n");
    const d = draftManifest({ repoDir, files: withClass, canonicalEntry, idPrefix: 'APP', legacy: ['lib/lobby.ts'] });
    const ci = d.manifest.classes.findIndex((c) => c.class === 'Lobby');
    const what = (m: string) => d.todo.find((t) => t.field === `classes[${ci}].members.${m}`)?.what;
    expect(what('join')).toMatch(/; it registers a connection \(stores its socket argument in this\.peers\): a template calling \$hub\.connect\(…\) also runs it on both sides in every mode/);
    expect(what('post')).not.toContain('registration');
  });

  test('a member storing a process handle (a cluster worker: send over IPC, and kill) gets no registration hint', () => {
    // gaurav10610/signaling-server@06ccd01: setWorker(serverId, worker: cluster.Worker) was hinted "it registers a connection"
    const withClass = new Map(files);
    withClass.set('lib/ctx.ts', "interface ProcessHandle { send(m: unknown): boolean; kill(signal?: string): void }\nexport class Ctx {\n  private workers = new Map<number, ProcessHandle>();\n  setWorker(id: number, w: ProcessHandle): void { this.workers.set(id, w); }\n}\n");
    withClass.set('app/ctx.ts', "import { Ctx } from '../lib/ctx.js';\nexport const go = (c: Ctx): void => { c.setWorker(1, { send: () => true, kill: () => {} }); };\n");
    const d = draftManifest({ repoDir, files: withClass, canonicalEntry, idPrefix: 'APP', legacy: ['lib/ctx.ts'] });
    const ci = d.manifest.classes.findIndex((c) => c.class === 'Ctx');
    const what = d.todo.find((t) => t.field === `classes[${ci}].members.setWorker`)?.what;
    expect(what).toMatch(/^used 1×/);
    expect(what).not.toContain('registers a connection');
  });

  test('a CommonJS object manager (`module.exports = { register() {…} }`, no const) in a --legacy module: drafted as classes[] "class": "default", its uses through require() counted; `module.exports = { f }` of module functions is not one', () => {
    const withObject = new Map(files);
    withObject.set('lib/orders.js', "'use strict';\nconst clients = new Map();\nmodule.exports = {\n  register(id, s) { clients.set(id, s); },\n  isOnline(id) { return clients.has(id); },\n};\n");
    withObject.set('app/orders.js', "const m = require('../lib/orders');\nexports.on = () => m.isOnline('o1') && m.isOnline('o2');\n");
    withObject.set('lib/plain.js', "function isOnline(id) { return !!id; }\nmodule.exports = { isOnline };\n");
    const d = draftManifest({ repoDir, files: withObject, canonicalEntry, idPrefix: 'APP', legacy: ['lib/orders.js', 'lib/plain.js'] });
    const ci = d.manifest.classes.findIndex((c) => c.module === 'lib/orders');
    // `isOnline(id)` in plain JavaScript: the untyped id is passed to the hub as a string (draftArguments)
    expect(d.manifest.classes[ci]).toEqual({ module: 'lib/orders', class: 'default', members: { isOnline: '$hub.isOnline($1 == null ? $1 : String($1))' } });
    expect(d.findings.classes.find((c) => c.module === 'lib/orders')).toEqual({ module: 'lib/orders', class: 'default', object: true, members: [{ member: 'isOnline', uses: 2, template: '$hub.isOnline($1 == null ? $1 : String($1))' }] });
    expect(d.manifest.classes.some((c) => c.module === 'lib/plain')).toBe(false);
    expect(() => parseManifest(JSON.stringify(d.manifest), 'ssot.config.json')).not.toThrow();
  });

  test('an ES module object manager as the default export (`export default { … }`, and `const hub = { … }; export default hub`): drafted as classes[] "class": "default", once per literal, its uses through a default import of any name counted', () => {
    const withObject = new Map(files);
    withObject.set('lib/orders.ts', "const clients = new Map<string, { send(d: string): void }>();\nexport default {\n  register(id: string, s: { send(d: string): void }) { clients.set(id, s); },\n  isOnline(id: string): boolean { return clients.has(id); },\n};\n");
    withObject.set('lib/relay.ts', "const clients = new Set<string>();\nconst hub = {\n  isOnline(id: string): boolean { return clients.has(id); },\n};\nexport default hub;\n");
    withObject.set('app/orders.ts', "import orders from '../lib/orders.js';\nimport relay from '../lib/relay.js';\nexport const on = (): boolean => orders.isOnline('o1') && orders.isOnline('o2') && relay.isOnline('o3');\n");
    const d = draftManifest({ repoDir, files: withObject, canonicalEntry, idPrefix: 'APP', legacy: ['lib/orders.ts', 'lib/relay.ts'] });
    expect(d.manifest.classes.filter((c) => c.module === 'lib/orders' || c.module === 'lib/relay')).toEqual([
      { module: 'lib/orders', class: 'default', members: { isOnline: '$hub.isOnline($1)' } },
      { module: 'lib/relay', class: 'default', members: { isOnline: '$hub.isOnline($1)' } },
    ]);
    expect(d.findings.classes.find((c) => c.module === 'lib/orders')).toEqual({ module: 'lib/orders', class: 'default', object: true, members: [{ member: 'isOnline', uses: 2, template: '$hub.isOnline($1)' }] });
    expect(() => parseManifest(JSON.stringify(d.manifest), 'ssot.config.json')).not.toThrow();
  });

  test('members used outside the class, counted through the class and a structural contract; same-name hub member prefilled', () => {
    expect(r.findings.classes).toEqual([
      {
        module: 'lib/bus',
        class: 'ConnectionHub',
        members: [
          { member: 'push', uses: 3 },
          { member: 'isOnline', uses: 1, template: '$hub.isOnline($1)' },
        ],
      },
    ]);
    expect(r.manifest.classes[0]!.members).toEqual({ isOnline: '$hub.isOnline($1)' });
    // the import a phase writes for $hub is listed, or discover would call it dangling
    expect(r.manifest.canonical.exports).toContain('hubOperations');
    expect(r.todo).toContainEqual({ field: 'classes[0].members.push', what: 'used 3×, no canonical member of this name: a template or legacyMembers', required: false });
  });

  test('adapter by constructor type, factory by return type (a pass-through is not one), and the draft loads', () => {
    expect(r.manifest.adapters).toEqual([{ id: 'APP003', module: 'app/notify', class: 'Notifier', unwrapArg: 0, methods: {} }]);
    expect(r.todo).toContainEqual(expect.objectContaining({ field: 'adapters[0].methods.say', required: true }));
    expect(r.manifest.factory!.entries).toHaveLength(3);
    expect(r.manifest.factory!.entries).toEqual(
      expect.arrayContaining([
        { module: 'lib/bus', call: 'theBus' },
        { module: 'lib/alias', call: 'theBus' },
        { module: 'lib/bus', call: 'ConnectionHub.make' },
      ]),
    );
    expect(r.manifest.factory!.replacement).toBe('createWebSocketManager($ctx)');
    expect(parseManifest(r.text, 'ssot.config.json')).toEqual(r.manifest);
    expect(r.manifest.verify).toEqual({ typecheck: 'npx tsc --noEmit', test: 'npm test' });
  });

  test('a --legacy path with no source file is an error naming it', () => {
    expect(() => draftManifest({ repoDir, files, canonicalEntry, legacy: ['lib/nope.ts'] })).toThrow(/--legacy lib\/nope: no such source file/);
  });
});

describe('draftManifest: a private class behind an exported instance', () => {
  // the singleton shape: the class is not exported, its static getter is called once in its own
  // module, and users import the instance; no factory entry can name what the module does not export
  const single = repoFiles({ test: 'vitest run' }, [
    [
      'net/sockets.ts',
      `class Relay {
  private static only: Relay | undefined;
  static shared(): Relay { return (Relay.only ??= new Relay()); }
  toRoom(room: string, body: string): number { return room.length + body.length; }
}
export const relay = Relay.shared();
`,
    ],
    ['jobs/run.ts', `import { relay } from '../net/sockets.js';\nexport const go = (): number => relay.toRoom('r', 'b');\n`],
  ]);
  const r = draftManifest({ repoDir, files: single, canonicalEntry, legacy: ['net/sockets.ts'] });

  test('no factory entry for the unexported class; the member use through the instance is still counted', () => {
    expect(r.manifest.factory).toBeUndefined();
    expect(r.findings.factory).toEqual([]);
    expect(r.findings.classes).toEqual([{ module: 'net/sockets', class: 'Relay', members: [{ member: 'toRoom', uses: 1 }] }]);
  });
});

describe('draftManifest: what an unmapped legacy export is', () => {
  const shaped = repoFiles({ test: 'vitest run' }, [
    [
      'net/sockets.ts',
      `class Relay {
  static shared(): Relay { return new Relay(); }
  toRoom(room: string): number { return room.length; }
}
export const relay = Relay.shared();
export const QUIET = 1;
export const LOUD = 2;
`,
    ],
    ['jobs/run.ts', `import { relay, LOUD } from '../net/sockets.js';\nexport const go = (): number => relay.toRoom('r') + LOUD;\n`],
    ['jobs/more.ts', `import { relay as r } from '../net/sockets.js';\nexport const again = (): number => r.toRoom('s');\n`],
    [
      'net/board.ts',
      `export class BoardFeed {
  push(board: string): number { return board.length; }
}
`,
    ],
    ['jobs/boot.ts', `import { BoardFeed } from '../net/board.js';\nexport const feed = new BoardFeed();\nexport const first = (): number => feed.push('b');\n`],
  ]);
  const r = draftManifest({ repoDir, files: shaped, canonicalEntry, legacy: ['net/sockets.ts', 'net/board.ts'] });
  const what = (name: string) => r.todo.find((t) => t.field === `legacy[${r.manifest.legacy.findIndex((l) => l.module === 'net/sockets')}].symbols.${name}`)?.what;

  test('an exported manager instance its users import is drafted as an instances[] entry, with its users; never "leave it out if no user imports it"', () => {
    // member calls only (relay.toRoom, r.toRoom): the entry is drafted and nothing is left to decide
    expect(r.manifest.instances).toEqual([{ module: 'net/sockets', name: 'relay', replacement: '$hub' }]);
    expect(r.manifest.canonical.exports).toContain('hubOperations');
    expect(r.findings.instances).toEqual([{ module: 'net/sockets', name: 'relay', class: 'Relay', form: 'export const', at: 'net/sockets.ts:5', users: ['jobs/more.ts', 'jobs/run.ts'], valueReads: [], entry: 0 }]);
    expect(r.todo.filter((t) => t.field.startsWith('instances'))).toEqual([]);
    expect(what('relay')).toBeUndefined();
    expect(what('LOUD')).toBe('no canonical export of this name, imported by 1 non-legacy file(s): map it, or move it out of the legacy module (moves)');
    expect(what('QUIET')).toBe('no canonical export of this name: map it, or leave it out (no non-legacy file imports it)');
    // a legacy class constructed directly (no factory, no adapter) is the manager: never "move it out"
    const board = r.manifest.legacy.findIndex((l) => l.module === 'net/board');
    expect(r.todo.find((t) => t.field === `legacy[${board}].symbols.BoardFeed`)?.what).toMatch(/^the legacy class itself, imported by 1 non-legacy file\(s\): map it to ScopedWebSocketManager where/);
  });
});

describe('draftManifest: nothing found', () => {
  test('a repo whose manager collides with no canonical name gets a required TODO naming --legacy, not "0 required"', () => {
    const plain = repoFiles({ test: 'vitest run', 'type-check': 'tsc --noEmit' }, [
      ['net/pipes.ts', `export class PipeKeeper {\n  toRoom(room: string): number { return room.length; }\n}\n`],
      ['app.ts', `import { PipeKeeper } from './net/pipes.js';\nexport const n = new PipeKeeper().toRoom('r');\n`],
    ]);
    const r = draftManifest({ repoDir, files: plain, canonicalEntry });
    expect(r.manifest.legacy).toEqual([]);
    // the repo's own typecheck script, spelled "type-check"
    expect(r.manifest.verify.typecheck).toBe('npm run type-check');
    expect(r.todo.filter((t) => t.required)).toEqual([expect.objectContaining({ field: 'legacy', what: expect.stringMatching(/^no legacy module found .*--legacy PATH/) })]);
    // named, the same repo drafts its module
    expect(draftManifest({ repoDir, files: plain, canonicalEntry, legacy: ['net/pipes.ts'] }).todo.some((t) => t.field === 'legacy')).toBe(false);
  });
});

describe('draftManifest: verify.typecheck', () => {
  const sources: ReadonlyArray<[string, string]> = [['net/pipes.ts', `export class PipeKeeper {\n  toRoom(room: string): number { return room.length; }\n}\n`]];
  const typecheckTodo = (f: Map<string, string>) => draftManifest({ repoDir, files: f, canonicalEntry, legacy: ['net/pipes.ts'] }).todo.find((t) => t.field === 'verify.typecheck');

  test('no typecheck script and no typescript in package.json: "npx tsc" is drafted with a TODO saying it will not run', () => {
    expect(typecheckTodo(repoFiles({ test: 'vitest run' }, sources))).toEqual(expect.objectContaining({ required: false, what: expect.stringMatching(/^drafted as "npx tsc --noEmit", but package.json lists no typescript/) }));
  });

  test('typescript among the devDependencies, or a typecheck script: no TODO', () => {
    const withTs = new Map(repoFiles({ test: 'vitest run' }, sources));
    withTs.set('package.json', JSON.stringify({ name: 'repo', scripts: { test: 'vitest run' }, devDependencies: { typescript: '^5.9.0' } }));
    expect(typecheckTodo(withTs)).toBeUndefined();
    expect(typecheckTodo(repoFiles({ test: 'vitest run', typecheck: 'tsc -b' }, sources))).toBeUndefined();
  });

  test("npm init's placeholder test script (always exit 1) is a required verify.test TODO, as no script is; a real one is none", () => {
    // w39011651/MultimediaSystemDemo signaling-server: "npm test" was drafted with 0 required, and
    // each phase's "no newly failing test" would have held vacuously (fail before, fail after)
    const testTodo = (scripts: Record<string, string>) => draftManifest({ repoDir, files: repoFiles(scripts, sources), canonicalEntry, legacy: ['net/pipes.ts'] }).todo.find((t) => t.field === 'verify.test');
    expect(testTodo({ test: 'echo "Error: no test specified" && exit 1' })).toEqual({ field: 'verify.test', required: true, what: expect.stringMatching(/^package\.json's "test" script is npm init's placeholder \(echo "Error: no test specified" && exit 1\), which always fails/) });
    expect(testTodo({ test: 'echo "Error: no test specified" && exit 1 || node smoke.js' })).toBeUndefined();
  });
});

describe('draftManifest: a legacy class other classes extend (a base class)', () => {
  // PrintWeave/PrintWeave@c8e0c16: init hinted "map it to ScopedWebSocketManager" for the plugin SDK's
  // abstract BasicWebsocketSubscriptionManager, which a plugin package extends with super calls
  const sources: ReadonlyArray<[string, string]> = [
    [
      'sdk/ws.ts',
      `export abstract class BaseManager {
  abstract id: string;
  protected sockets: { send(d: string): void }[] = [];
}
export abstract class SubscriptionManager extends BaseManager {
  async onSubscribe(ws: { send(d: string): void }, topic: string): Promise<void> { this.sockets.push(ws); ws.send(topic); }
  sendToAll(d: string): void { for (const s of this.sockets) s.send(d); }
}
export class PlainManager {
  sendTo(u: string): number { return u.length; }
}
`,
    ],
    ['sdk/index.ts', `export * from './ws.js';\n`],
    [
      'plugins/printer.ts',
      `import { SubscriptionManager } from '../sdk/index.js';
export class PrinterManager extends SubscriptionManager {
  id = 'printer';
  override async onSubscribe(ws: { send(d: string): void }, topic: string): Promise<void> {
    await super.onSubscribe(ws, topic);
    super.sendToAll('joined');
  }
}
`,
    ],
    ['app/use.ts', `import type { BaseManager, PlainManager } from '../sdk/ws.js';\nexport const ids = (m: BaseManager, p: PlainManager): string => m.id + p.sendTo('u');\n`],
  ];
  const r = draftManifest({ repoDir, files: repoFiles({ test: 'vitest run' }, sources), canonicalEntry, legacy: ['sdk/ws.ts'] });
  const at = (mod: string, name: string) => r.todo.find((t) => t.field === `legacy[${r.manifest.legacy.findIndex((l) => l.module === mod)}].symbols.${name}`);

  test('extended by code that stays: not mapped, a required TODO naming the subclass, its super calls and the decision', () => {
    const ws = r.manifest.legacy.find((l) => l.module === 'sdk/ws')!;
    expect(ws.symbols['SubscriptionManager']).toBeUndefined();
    expect(at('sdk/ws', 'SubscriptionManager')).toEqual({
      field: expect.any(String),
      required: true,
      what: expect.stringMatching(/^a base class code that stays extends \(PrinterManager at plugins\/printer\.ts:2, 2 super\.member call\(s\)\): not mapped to ScopedWebSocketManager — an interface cannot be extended \(TS2689\).*moves entry.*splits entry/),
    });
    // the barrel re-exporting it says the same, not required twice
    expect(at('sdk/index', 'SubscriptionManager')).toEqual(expect.objectContaining({ required: false, what: expect.stringMatching(/^a base class code that stays extends/) }));
  });

  test('abstract and extended only by legacy code: an optional TODO, never "map it to ScopedWebSocketManager"; a plain class keeps that hint', () => {
    expect(r.manifest.legacy.find((l) => l.module === 'sdk/ws')!.symbols['BaseManager']).toBeUndefined();
    expect(at('sdk/ws', 'BaseManager')).toEqual(expect.objectContaining({ required: false, what: expect.stringMatching(/^an abstract class the legacy code extends \(SubscriptionManager at sdk\/ws\.ts:5\): no manager its users hold itself/) }));
    expect(at('sdk/ws', 'PlainManager')?.what).toMatch(/^the legacy class itself, imported by 1 non-legacy file\(s\): map it to ScopedWebSocketManager where/);
    // the draft still loads
    expect(() => JSON.parse(r.text)).not.toThrow();
  });
});

describe('draftManifest: a test script that runs no tests and exits 0', () => {
  const sources: ReadonlyArray<[string, string]> = [['net/pipes.ts', `export class PipeKeeper {\n  toRoom(room: string): number { return room.length; }\n}\n`]];
  const draft = (scripts: Record<string, string>) => draftManifest({ repoDir, files: repoFiles(scripts, sources), canonicalEntry, legacy: ['net/pipes.ts'] });

  test('is drafted as verify.test "true" with a TODO saying the phases are checked by the type-check alone', () => {
    // the last public trial: init accepted `echo "Error: no test specified" && exit 0` as "npm test", and
    // every phase verdict read "tests pass -> pass" though no test ever ran
    for (const script of ['echo "Error: no test specified" && exit 0', 'echo ok', 'true', 'exit 0']) {
      const r = draft({ test: script });
      expect(r.manifest.verify.test, script).toBe('true');
      expect(r.todo.find((t) => t.field === 'verify.test'), script).toEqual({ field: 'verify.test', required: false, what: `package.json's "test" script (${script}) runs no tests (it only echoes and exits 0): drafted as "true", so the phases are checked by the type-check alone and their verdicts say no tests ran; name the command that runs the tests, or a smoke that loads the migrated code` });
    }
  });

  test('a script that runs tests stays "npm test" with no TODO; one that echoes and exits 1 is a required TODO', () => {
    const real = draft({ test: 'echo start && vitest run' });
    expect(real.manifest.verify.test).toBe('npm test');
    expect(real.todo.find((t) => t.field === 'verify.test')).toBeUndefined();
    expect(draft({ test: 'echo none; exit 2' }).todo.find((t) => t.field === 'verify.test')).toEqual(expect.objectContaining({ required: true, what: expect.stringMatching(/runs no tests and always fails/) }));
  });
});

describe('draftManifest: nothing found, but a manager-shaped declaration', () => {
  test('the required TODO names the modules declaring a method shaped like a canonical manager member (name and first parameter), as --legacy candidates', () => {
    // QuickDapp: SocketManager / WorkerSocketManager / ISocketManager collide with no canonical export, each declares sendToUser(userId, …)
    const r = draftManifest({
      repoDir,
      canonicalEntry,
      files: repoFiles({}, [
        ['src/ws/index.ts', 'export class SocketManager {\n  async sendToUser(userId: number, message: object): Promise<boolean> { return userId > 0 && message !== null; }\n}\n'],
        ['src/shared/socket-manager.ts', 'export interface ISocketManager {\n  sendToUser(userId: number, message: object): Promise<boolean>;\n}\n'],
        // a same-name method with another first parameter, and a database's connect(): not manager-shaped
        ['src/db.ts', 'export class Db {\n  connect(url: string): void { void url; }\n  sendToUser(email: string): void { void email; }\n}\n'],
      ]),
    });
    expect(r.manifest.legacy).toEqual([]);
    const legacy = r.todo.find((t) => t.field === 'legacy');
    expect(legacy?.what).toContain('candidates: --legacy src/shared/socket-manager.ts (ISocketManager.sendToUser), --legacy src/ws/index.ts (SocketManager.sendToUser)');
    expect(legacy?.what).not.toContain('src/db.ts');
  });
});

describe('draftManifest: a legacy manager the app constructs at boot (constructions[])', () => {
  const sources: Array<[string, string]> = [
    ['src/ws/server.ts', "export interface Peer { close(code: number): void }\nexport class PeerServer {\n  on(event: 'connection', listener: (peer: Peer, url: string) => void): void { void event; void listener; }\n}\n"],
    ['src/realtime/WebSocketManager.ts', "import type { Peer, PeerServer } from '../ws/server.js';\nexport class WebSocketManager {\n  constructor(private readonly server: PeerServer) {}\n  handleConnection(peer: Peer, url: string): void { void peer; void url; void this.server; }\n  broadcastRoom(room: string, data: unknown): void { void room; void data; }\n}\n"],
    ['src/main.ts', "import { PeerServer } from './ws/server.js';\nimport { WebSocketManager } from './realtime/WebSocketManager.js';\nconst declare_global = globalThis as unknown as { hub?: WebSocketManager };\nexport function boot(): void {\n  const peers = new PeerServer();\n  const hub = new WebSocketManager(peers);\n  declare_global.hub = hub;\n  peers.on('connection', (peer, url) => {\n    hub.handleConnection(peer, url);\n  });\n  hub.broadcastRoom('lobby', { up: true });\n}\n"],
  ];
  // the class collides with no canonical name: the user names its module, as on the public repo
  const r = draftManifest({ repoDir, files: repoFiles({ test: 'vitest run' }, sources), canonicalEntry, legacy: ['src/realtime/WebSocketManager.ts'] });

  test('finds the construction with what the code shows (arguments, where it is stored, the wiring called from a listener on its argument)', () => {
    expect(r.findings.constructions).toEqual([{ module: 'src/realtime/WebSocketManager', class: 'WebSocketManager', at: 'src/main.ts:6', args: ['peers'], stored: ['declare_global.hub'], wiring: ['handleConnection'] }]);
  });

  test('leaves the entry to a person (out of the manifest, which loads), drafted in a required TODO', () => {
    expect(r.manifest.constructions).toBeUndefined();
    expect(() => parseManifest(r.text, 'ssot.config.json')).not.toThrow();
    const t = r.todo.filter((x) => x.field === 'constructions');
    expect(t).toHaveLength(1);
    expect(t[0]!.required).toBe(true);
    expect(t[0]!.what).toContain('new WebSocketManager(peers) at src/main.ts:6 (stored on declare_global.hub; wired by handleConnection)');
    const drafted = JSON.parse(t[0]!.what.slice(t[0]!.what.indexOf('Add to constructions: ') + 'Add to constructions: '.length)) as Record<string, unknown>;
    expect(drafted).toMatchObject({ module: 'src/realtime/WebSocketManager', class: 'WebSocketManager', wiring: ['handleConnection'], type: 'CanonicalWebSocketServer' });
    expect(String(drafted['replacement'])).toContain('createWebSocketServer');
  });

  test('a repo that builds no legacy manager itself gets no constructions TODO', () => {
    const none = draftManifest({ repoDir, files: repoFiles({ test: 'vitest run' }, sources.slice(0, 2)), canonicalEntry, legacy: ['src/realtime/WebSocketManager.ts'] });
    expect(none.findings.constructions).toEqual([]);
    expect(none.todo.some((x) => x.field === 'constructions')).toBe(false);
  });
});

describe('draftManifest: a same-name canonical member whose parameters the legacy calls cannot pass', () => {
  // QuickDapp's SocketManager.sendToUser(userId: number, …): `$hub.sendToUser($1, $2)` was drafted, and
  // remove-adapters' rewrite of each call was then withdrawn by the type guard (number is not string)
  const r = draftManifest({
    repoDir,
    files: repoFiles({}, [
      ['lib/hub.ts', 'export class SocketManager {\n  sendToUser(userId: number, message: { type: string }): boolean { return userId > 0 && message.type.length > 0; }\n  isOnline(userId: string): boolean { return userId.length > 0; }\n}\n'],
      ['app/use.ts', "import { SocketManager } from '../lib/hub.js';\nexport const ok = (m: SocketManager): boolean => m.sendToUser(7, { type: 'x' }) && m.isOnline('u');\n"],
    ]),
    canonicalEntry,
    idPrefix: 'QD',
    legacy: ['lib/hub.ts'],
  });

  test('no template is drafted for it; a TODO says which parameter does not fit; a fitting member is still prefilled', () => {
    expect(r.manifest.classes[0]!.members).toEqual({ isOnline: '$hub.isOnline($1)' });
    expect(r.todo).toContainEqual(expect.objectContaining({ field: 'classes[0].members.sendToUser', what: expect.stringContaining('parameter 1 (userId: number) does not fit $hub.sendToUser(userId: string') }));
    expect(r.findings.classes[0]!.members).toContainEqual({ member: 'sendToUser', uses: 1 });
  });
});

describe('draftManifest: a module of free functions (functions[])', () => {
  const sources: Array<[string, string]> = [
    [
      'src/conns.ts',
      `type Sock = { send(d: string): void };
const byUser = new Map<string, Sock[]>();
export function addClient(userId: string, ws: Sock): void { byUser.set(userId, [...(byUser.get(userId) ?? []), ws]); }
export function sendToUser(userId: string, message: unknown): void { for (const s of byUser.get(userId) ?? []) s.send(JSON.stringify(message)); }
export const broadcastAll = (message: Record<string, unknown>): number => { let n = 0; for (const [u] of byUser) { sendToUser(u, message); n++; } return n; };
export function neverCalled(): void {}
export const LIMIT = 3;
`,
    ],
    [
      'src/use.ts',
      `import * as conns from './conns.js';
import { sendToUser as push, addClient } from './conns.js';
export function go(ws: { send(d: string): void }): number {
  addClient('u', ws);
  push('u', { a: 1 });
  push('v', { b: 2 });
  return conns.broadcastAll({ type: 'x' }) + conns.LIMIT;
}
`,
    ],
  ];
  const r = draftManifest({ repoDir, files: repoFiles({ test: 'vitest run' }, sources), canonicalEntry, legacy: ['src/conns'] });

  test('drafts one entry for the module with the called functions only, counted through every import form', () => {
    expect(r.findings.functions).toEqual([
      {
        module: 'src/conns',
        functions: [
          { member: 'sendToUser', uses: 2 },
          { member: 'addClient', uses: 1 },
          { member: 'broadcastAll', uses: 1, template: '$hub.broadcastAll($1)' },
        ],
      },
    ]);
    // a same-name hub operation that takes the arguments as they are is drafted; hubOperations is listed for its import
    expect(r.manifest.functions).toEqual([{ module: 'src/conns', templates: { broadcastAll: '$hub.broadcastAll($1)' } }]);
    expect(r.manifest.canonical.exports).toContain('hubOperations');
    // functions are expanded at each call, not renamed: no symbols TODO for them, the constant still has one
    expect(r.todo.map((t) => t.field)).not.toContain('legacy[0].symbols.sendToUser');
    expect(r.todo.map((t) => t.field)).toContain('legacy[0].symbols.LIMIT');
  });

  test('the others are optional TODOs saying why (a parameter that does not fit, no operation of that name)', () => {
    const todo = Object.fromEntries(r.todo.filter((t) => t.field.startsWith('functions[')).map((t) => [t.field, t]));
    expect(todo['functions[0].templates.sendToUser']?.what).toMatch(/^used 2×, parameter 2 \(message: unknown\) does not fit \$hub\.sendToUser\(userId: string, message: OutboundMessage\): a template that converts/);
    expect(todo['functions[0].templates.addClient']?.what).toMatch(/^used 1×, no canonical operation of this name/);
    expect(Object.values(todo).every((t) => !t.required)).toBe(true);
    expect(Object.keys(todo)).not.toContain('functions[0].templates.neverCalled');
    // and the draft loads
    expect(parseManifest(r.text, 'ssot.config.json').functions[0]?.module).toBe('src/conns');
  });

  test('counts calls through the module\'s default-exported object (shorthand and renamed properties)', () => {
    // JeLLek1/PIM-chess-app: ConnectionRepository.deleteConnection(…) and .getConnections(…) were not
    // counted, so init listed 3 of the 5 called functions and drafted no TODO for the other two
    const withDefault: Array<[string, string]> = [
      ['src/conns.ts', `${sources[0]![1]}export default { addClient, push: sendToUser };\n`],
      ['src/use.ts', `import Conns from './conns.js';\nexport function go(ws: { send(d: string): void }): void {\n  Conns.addClient('u', ws);\n  Conns.push('u', { a: 1 });\n  Conns.push('v', { b: 2 });\n}\n`],
    ];
    const d = draftManifest({ repoDir, files: repoFiles({ test: 'vitest run' }, withDefault), canonicalEntry, legacy: ['src/conns'] });
    expect(d.findings.functions).toEqual([{ module: 'src/conns', functions: [{ member: 'sendToUser', uses: 2 }, { member: 'addClient', uses: 1 }] }]);
    expect(d.todo.map((t) => t.field)).toEqual(expect.arrayContaining(['functions[0].templates.sendToUser', 'functions[0].templates.addClient']));
    // the object itself is no decision: its calls are the functions' (it used to ask to "map it, or move it out")
    expect(d.todo.map((t) => t.field)).not.toContain('legacy[0].symbols.default');
    expect(d.todo.map((t) => t.field)).toContain('legacy[0].symbols.LIMIT');
  });

  test('a helper function beside a legacy class is no functions[] entry: it keeps the "map it or move it" TODO', () => {
    const withClass: Array<[string, string]> = [
      ['src/hub.ts', `export class Hub {\n  sendToUser(userId: string, text: string): number { return text.length + userId.length; }\n}\nexport function newId(): string { return 'x'; }\n`],
      ['src/use.ts', `import { Hub, newId } from './hub.js';\nexport const n = new Hub().sendToUser(newId(), 'a');\n`],
    ];
    const c = draftManifest({ repoDir, files: repoFiles({ test: 'vitest run' }, withClass), canonicalEntry, legacy: ['src/hub'] });
    expect(c.findings.functions).toEqual([]);
    expect(c.manifest.functions ?? []).toEqual([]);
    expect(c.todo.map((t) => t.field)).toContain('legacy[0].symbols.newId');
  });
});

describe('draftManifest: lookups that hand out sockets (chain keys on what they return)', () => {
  const sources: Array<[string, string]> = [
    [
      'src/conns.ts',
      `export interface Sock { send(d: string): void; close(): void; readonly readyState: number }
const byUser = new Map<string, Sock>();
export function keep(userId: string, ws: Sock): void { byUser.set(userId, ws); }
export function getConnection(userId: string): Sock | undefined { return byUser.get(userId); }
export function countOf(userId: string): number { return byUser.has(userId) ? 1 : 0; }
`,
    ],
    [
      'src/registry.ts',
      `import type { Sock } from './conns.js';
export class Registry {
  private readonly m = new Map<string, Sock>();
  socketFor(id: string): Sock | undefined { return this.m.get(id); }
  static socketOf(id: string): Sock | undefined { return new Registry().m.get(id); }
}
export const registry = new Registry();
`,
    ],
    [
      'src/use.ts',
      `import { getConnection, countOf, keep, type Sock } from './conns.js';
import { registry, Registry } from './registry.js';
export function go(ws: Sock, frame: object): number {
  keep('u', ws);
  getConnection('u')?.send(JSON.stringify(frame));
  (getConnection('v')!).send('x');
  const s = getConnection('w');
  if (s && s.readyState === 1) s.send('y');
  registry.socketFor('u')?.close();
  Registry.socketOf('u')!.send('z');
  return countOf('u');
}
`,
    ],
  ];
  const r = draftManifest({ repoDir, files: repoFiles({ test: 'vitest run' }, sources), canonicalEntry, legacy: ['src/conns', 'src/registry'] });

  test('each member read on a socket a lookup returns is a chain key with its count (directly, through `!`/`?.`, or through a local), findings only', () => {
    const fns = r.findings.functions[0]!.functions;
    expect(fns.find((f) => f.member === 'getConnection')).toEqual({ member: 'getConnection', uses: 3, chains: [{ member: 'getConnection.send', uses: 3 }, { member: 'getConnection.readyState', uses: 1 }] });
    // a lookup returning no socket has none
    expect(fns.find((f) => f.member === 'countOf')?.chains).toBeUndefined();
    const cls = r.findings.classes.find((c) => c.class === 'Registry')!;
    expect(cls.members.find((m) => m.member === 'socketFor')?.chains).toEqual([{ member: 'socketFor.close', uses: 1 }]);
    expect(cls.statics?.find((m) => m.member === 'socketOf')?.chains).toEqual([{ member: 'socketOf.send', uses: 1 }]);
  });

  test('each is an optional TODO naming the key as manifest paths write it; no template is drafted and the draft loads', () => {
    const fields = r.todo.map((t) => t.field);
    expect(fields).toEqual(expect.arrayContaining(['functions[0].templates["getConnection.send"]', 'functions[0].templates["getConnection.readyState"]', 'classes[0].members["socketFor.close"]', 'classes[0].statics["socketOf.send"]']));
    const send = r.todo.find((t) => t.field === 'functions[0].templates["getConnection.send"]')!;
    expect(send.required).toBe(false);
    expect(send.what).toMatch(/^getConnection\(…\) returns a socket its callers use themselves: `\.send` 3× \(directly or through a local holding it\); a chain template/);
    expect(Object.keys(r.manifest.functions[0]!.templates).some((k) => k.includes('.'))).toBe(false);
    expect(Object.keys(r.manifest.classes[0]!.members).some((k) => k.includes('.'))).toBe(false);
    expect(parseManifest(r.text, 'ssot.config.json').functions[0]?.module).toBe('src/conns');
  });
});

describe('draftManifest: a class used through its statics (classes[].statics)', () => {
  const sources: Array<[string, string]> = [
    [
      'src/clients.ts',
      `type Sock = { send(d: string): void };
export default class Clients {
  static byUser: { [userId: string]: Sock[] } = {};
  static addClient = (userId: string, ws: Sock): void => { Clients.byUser[userId] = [...(Clients.byUser[userId] ?? []), ws]; };
  static emitDataToUser = (userId: string, type: string, data: unknown): void => { for (const s of Clients.byUser[userId] ?? []) s.send(JSON.stringify({ type, payload: data })); };
  static broadcastAll(message: Record<string, unknown>): number { let n = 0; for (const u of Object.keys(this.byUser)) { this.emitDataToUser(u, 'all', message); n++; } return n; }
  static neverCalled(): void {}
  isOnline(userId: string): boolean { return userId.length > 0; }
}
`,
    ],
    [
      'src/use.ts',
      `import Clients from './clients.js';
import * as c from './clients.js';
export function go(ws: { send(d: string): void }): number {
  Clients.addClient('u', ws);
  Clients.emitDataToUser('u', 'a', 1);
  c.default.emitDataToUser('v', 'b', 2);
  return Clients.broadcastAll({ type: 'x' }) + Object.keys(Clients.byUser).length;
}
`,
    ],
  ];
  const r = draftManifest({ repoDir, files: repoFiles({ test: 'vitest run' }, sources), canonicalEntry, legacy: ['src/clients'] });

  test('drafts statics for the used statics only, counted through every import form; a same-name hub operation is drafted, the rest are optional TODOs', () => {
    expect(r.findings.classes).toEqual([
      {
        module: 'src/clients',
        class: 'Clients',
        members: [],
        statics: [
          { member: 'emitDataToUser', uses: 2 },
          { member: 'addClient', uses: 1 },
          { member: 'broadcastAll', uses: 1, template: '$hub.broadcastAll($1)' },
          { member: 'byUser', uses: 1 },
        ],
      },
    ]);
    expect(r.manifest.classes).toEqual([{ module: 'src/clients', class: 'Clients', members: {}, statics: { broadcastAll: '$hub.broadcastAll($1)' } }]);
    const todo = Object.fromEntries(r.todo.filter((t) => t.field.startsWith('classes[0].statics')).map((t) => [t.field, t]));
    expect(Object.keys(todo).sort()).toEqual(['classes[0].statics.addClient', 'classes[0].statics.byUser', 'classes[0].statics.emitDataToUser']);
    expect(todo['classes[0].statics.emitDataToUser']?.what).toMatch(/^static used 2×, no canonical operation of this name/);
    expect(todo['classes[0].statics.byUser']?.what).toMatch(/^static used 1×, a static read, not called/);
    expect(Object.values(todo).every((t) => !t.required)).toBe(true);
    expect(parseManifest(r.text, 'ssot.config.json').classes[0]?.statics).toEqual({ broadcastAll: '$hub.broadcastAll($1)' });
  });
});

describe('draftManifest: statics with no same-name hub operation (every one a TODO)', () => {
  // viihna-lehraine/ShoutShack@dfe7de5: `static handleConnection(ws, req)` and `static broadcast(message)`;
  // the TODOs invite a `$hub.…` template, and the draft listed no hubOperations, so the first template
  // a person wrote was refused by the manifest check (`uses $hub …: list "hubOperations" in canonical.exports`)
  const sources: Array<[string, string]> = [
    ['src/ws/manager.ts', `type Sock = { send(d: string): void };
export class Manager {
  private static clients = new Set<Sock>();
  static handleConnection(ws: Sock, id: string): void { Manager.clients.add(ws); ws.send(id); }
  static broadcast(message: string): void { Manager.clients.forEach((ws) => ws.send(message)); }
}
`],
    ['src/server.ts', `import { Manager } from './ws/manager.js';
export const onConnection = (ws: { send(d: string): void }, id: string): void => Manager.handleConnection(ws, id);
`],
  ];
  const r = draftManifest({ repoDir, files: repoFiles({ test: 'vitest run' }, sources), canonicalEntry, legacy: ['src/ws/manager'] });

  test('drafts hubOperations in canonical.exports, so a $hub template filled in loads', () => {
    expect(r.manifest.classes[0]?.statics).toEqual({});
    expect(r.todo.map((t) => t.field)).toContain('classes[0].statics.handleConnection');
    expect(r.manifest.canonical.exports).toContain('hubOperations');
    const filled = JSON.parse(r.text) as { classes: Array<{ statics: Record<string, string> }> };
    filled.classes[0]!.statics['handleConnection'] = '$hub.connect($2, $1)';
    expect(parseManifest(JSON.stringify(filled), 'ssot.config.json').classes[0]?.statics).toEqual({ handleConnection: '$hub.connect($2, $1)' });
  });
});

describe('draftManifest: a singleton class (its static returns the class itself)', () => {
  // BrianP8701/swarmstarv2@0c68dd4: `WebSocketServer.getInstance()` beside `private webSocketServer: WebSocketServer`
  // constructor types; the draft mapped the class's name to createWebSocketManager (a function) as if it were a factory class
  const sources: Array<[string, string]> = [
    ['src/hub.ts', `export class Hub {\n  private static instance: Hub | null = null;\n  static getInstance(): Hub { return (Hub.instance ??= new Hub()); }\n  sendMessageToUser(userId: string, data: unknown): void { void userId; void data; }\n}\n`],
    ['src/service.ts', `import { Hub } from './hub.js';\nexport class Service {\n  constructor(private hub: Hub) {}\n  push(id: string): void { this.hub.sendMessageToUser(id, { a: 1 }); }\n}\nexport const service = new Service(Hub.getInstance());\n`],
  ];
  const r = draftManifest({ repoDir, files: repoFiles({ test: 'vitest run' }, sources), canonicalEntry, legacy: ['src/hub'] });

  test('maps the class to the manager type and keeps getInstance a factory entry', () => {
    expect(r.manifest.legacy.find((l) => l.module === 'src/hub')?.symbols['Hub']).toBe('ScopedWebSocketManager');
    expect(r.manifest.factory?.entries).toEqual([{ module: 'src/hub', call: 'Hub.getInstance' }]);
    expect(r.manifest.classes.map((c) => c.class)).toEqual(['Hub']);
  });

  test('a factory class whose static returns another class still maps to the canonical factory', () => {
    const withFactory: Array<[string, string]> = [
      ['src/hub.ts', `export class Hub {\n  sendMessageToUser(userId: string, data: unknown): void { void userId; void data; }\n}\nexport class HubFactory {\n  static getInstance(): Hub { return new Hub(); }\n}\n`],
      ['src/use.ts', `import { HubFactory } from './hub.js';\nHubFactory.getInstance().sendMessageToUser('u', {});\n`],
    ];
    const d = draftManifest({ repoDir, files: repoFiles({ test: 'vitest run' }, withFactory), canonicalEntry, legacy: ['src/hub'] });
    expect(d.manifest.legacy.find((l) => l.module === 'src/hub')?.symbols['HubFactory']).toBe('createWebSocketManager');
  });
});

describe('draftManifest: exported instances in every export shape, and the modules strangle will refuse', () => {
  const klass = `class Relay {\n  toRoom(room) { return room.length; }\n}\n`;
  const tsKlass = `class Relay {\n  toRoom(room: string): number { return room.length; }\n}\n`;
  const draftOf = (sources: ReadonlyArray<[string, string]>, legacy: string[]) => draftManifest({ repoDir, files: repoFiles({ test: 'vitest run' }, sources), canonicalEntry, legacy });

  test('export const, read as a value by code that stays: the entry is drafted ($hub) with a required TODO naming each read', () => {
    const r = draftOf(
      [
        ['net/sockets.ts', `${tsKlass}export const relay = new Relay();\n`],
        ['jobs/run.ts', `import { relay } from '../net/sockets.js';\nexport const go = (): number => relay.toRoom('r');\nexport const held = { relay };\nexport const again = [relay];\n`],
      ],
      ['net/sockets.ts'],
    );
    expect(r.manifest.instances).toEqual([{ module: 'net/sockets', name: 'relay', replacement: '$hub' }]);
    expect(r.findings.instances[0]).toMatchObject({ form: 'export const', users: ['jobs/run.ts'], valueReads: ['jobs/run.ts:3', 'jobs/run.ts:4'], entry: 0 });
    const t = r.todo.find((x) => x.field === 'instances[0].replacement');
    expect(t?.required).toBe(true);
    expect(t?.what).toMatch(/^relay, an instance of legacy class Relay exported as `export const relay` \(net\/sockets\.ts:4\), is read as a value at jobs\/run\.ts:3, jobs\/run\.ts:4: drafted as "\$hub"/);
    expect(() => parseManifest(r.text, 'ssot.config.json')).not.toThrow();
  });

  test('export default new M(): an entry named default (remove-adapters reads every export shape), a TODO only for its reads as a value', () => {
    const r = draftOf(
      [
        ['net/sockets.ts', `${tsKlass}export default new Relay();\n`],
        ['jobs/run.ts', `import relay from '../net/sockets.js';\nexport const go = (): number => relay.toRoom('r');\nexport const keep = relay;\n`],
      ],
      ['net/sockets.ts'],
    );
    expect(r.manifest.instances).toEqual([{ module: 'net/sockets', name: 'default', replacement: '$hub' }]);
    expect(r.findings.instances).toEqual([{ module: 'net/sockets', name: 'default', class: 'Relay', form: 'export default', at: 'net/sockets.ts:4', users: ['jobs/run.ts'], valueReads: ['jobs/run.ts:3'], entry: 0 }]);
    const t = r.todo.find((x) => x.field === 'instances[0].replacement');
    expect(t?.required).toBe(true);
    expect(t?.what).toMatch(/^default, an instance of legacy class Relay exported as `export default …` \(net\/sockets\.ts:4\), is read as a value at jobs\/run\.ts:3: drafted as "\$hub"/);
    // not also a symbol to map
    expect(r.todo.filter((x) => x.field.startsWith('legacy['))).toEqual([]);
    expect(() => parseManifest(r.text, 'ssot.config.json')).not.toThrow();
  });

  test('an instance exported through an object literal: `export default { relay }` (read as api.relay) and `module.exports = { relay }`, each an entry named by its key', () => {
    const esm = draftOf(
      [
        ['net/sockets.ts', `${tsKlass}const relay = new Relay();\nexport default { relay, limit: 3 };\n`],
        ['jobs/run.ts', `import api from '../net/sockets.js';\nexport const go = (): number => api.relay.toRoom('r') + api.limit;\nexport const keep = api.relay;\n`],
      ],
      ['net/sockets.ts'],
    );
    expect(esm.manifest.instances).toEqual([{ module: 'net/sockets', name: 'relay', replacement: '$hub' }]);
    expect(esm.findings.instances).toEqual([{ module: 'net/sockets', name: 'relay', class: 'Relay', form: 'export default object', at: 'net/sockets.ts:5', users: ['jobs/run.ts'], valueReads: ['jobs/run.ts:3'], entry: 0 }]);
    expect(esm.todo.find((x) => x.field === 'instances[0].replacement')?.what).toContain('exported as `export default { relay }` (net/sockets.ts:5)');
    const cjs = draftOf(
      [
        ['net/sockets.js', `${klass}const relay = new Relay();\nmodule.exports = { relay, limit: 3 };\n`],
        ['jobs/run.js', `const { relay } = require('../net/sockets');\nrelay.toRoom('r');\nconsole.log(relay);\n`],
      ],
      ['net/sockets.js'],
    );
    expect(cjs.manifest.instances).toEqual([{ module: 'net/sockets', name: 'relay', replacement: '$hub' }]);
    expect(cjs.findings.instances.map((x) => [x.name, x.form, x.at, x.users, x.valueReads])).toEqual([['relay', 'module.exports object', 'net/sockets.js:5', ['jobs/run.js'], ['jobs/run.js:3']]]);
    expect(cjs.todo.find((x) => x.field === 'instances[0].replacement')?.what).toContain('exported as `module.exports = { relay }` (net/sockets.js:5)');
  });

  test('module.exports = new M() and const x = new M(); module.exports = x (CommonJS): found through require(), an entry each, member calls only need no TODO', () => {
    const r = draftOf(
      [
        ['net/sockets.js', `${klass}module.exports = new Relay();\n`],
        ['net/held.js', `${klass.replace('Relay', 'Held')}const held = new Held();\nmodule.exports = held;\n`],
        ['jobs/run.js', `const relay = require('../net/sockets');\nconst held = require('../net/held');\nrelay.toRoom('r');\nheld.toRoom('h');\nsetImmediate(() => console.log(relay));\n`],
      ],
      ['net/sockets.js', 'net/held.js'],
    );
    expect(r.manifest.instances).toEqual([
      { module: 'net/held', name: 'default', replacement: '$hub' },
      { module: 'net/sockets', name: 'default', replacement: '$hub' },
    ]);
    expect(r.findings.instances.map((x) => [x.module, x.name, x.class, x.form, x.at, x.users, x.valueReads])).toEqual([
      ['net/held', 'default', 'Held', 'module.exports', 'net/held.js:5', ['jobs/run.js'], []],
      ['net/sockets', 'default', 'Relay', 'module.exports', 'net/sockets.js:4', ['jobs/run.js'], ['jobs/run.js:5']],
    ]);
    const todos = r.todo.filter((x) => x.field.startsWith('instances'));
    expect(todos).toHaveLength(1);
    expect(todos[0]!.field).toBe('instances[1].replacement');
    expect(todos[0]!.what).toMatch(/^default, an instance of legacy class Relay exported as `module\.exports …` \(net\/sockets\.js:4\), is read as a value at jobs\/run\.js:5: /);
  });

  test('exports.name = new M() (CommonJS named export): found with its name', () => {
    const r = draftOf(
      [
        ['net/sockets.js', `${klass}exports.relay = new Relay();\n`],
        ['jobs/run.js', `const { relay } = require('../net/sockets');\nrelay.toRoom('r');\n`],
      ],
      ['net/sockets.js'],
    );
    expect(r.findings.instances.map((x) => [x.name, x.form, x.users, x.valueReads])).toEqual([['relay', 'exports.name', ['jobs/run.js'], []]]);
  });

  test('a CommonJS legacy module whose exports strangle cannot read is said now, with file:line and the reason strangle gives', () => {
    const r = draftOf(
      [
        ['net/sockets.js', `${klass}if (process.env.X) module.exports = new Relay();\nelse module.exports = { toRoom: () => 0 };\n`],
        ['net/fine.js', `${klass.replace('Relay', 'Fine')}module.exports = new Fine();\n`],
        ['jobs/run.js', `const relay = require('../net/sockets');\nrequire('../net/fine').toRoom('f');\nrelay.toRoom('r');\n`],
      ],
      ['net/sockets.js', 'net/fine.js'],
    );
    expect(r.findings.strangleRefusals).toEqual([
      { module: 'net/sockets', file: 'net/sockets.js', line: 4, reason: 'a CommonJS module whose exports cannot be read safely: module.exports is assigned inside a function, block or condition: the exports are decided at run time' },
    ]);
  });
});

describe('draftManifest: a wrapper a DI container builds (no `new` of it anywhere)', () => {
  const sources = (decorated: 'class' | 'parameter' | 'none', built: boolean): Map<string, string> => {
    const m = new Map(files);
    m.set('tsconfig.json', '{ "compilerOptions": { "strict": true, "module": "NodeNext", "moduleResolution": "NodeNext", "experimentalDecorators": true, "emitDecoratorMetadata": true } }');
    m.delete('app/notify.ts');
    m.set(
      'app/relay.ts',
      `import { ConnectionHub } from '../lib/bus.js';
import { Injectable, Inject } from './di.js';
${decorated === 'class' ? '@Injectable()\n' : ''}export class Relay {
  constructor(${decorated === 'parameter' ? '@Inject(ConnectionHub) ' : ''}private readonly hub: ConnectionHub) {}
  forward(u: string, t: string): number { return this.hub.push(u, t); }
  online(u: string): boolean { return this.hub.isOnline(u); }
}
${built ? 'export const manual = new Relay(new ConnectionHub());\n' : ''}`,
    );
    m.set('app/di.ts', 'export function Injectable(): ClassDecorator { return () => {}; }\nexport function Inject(token: unknown): ParameterDecorator { void token; return () => {}; }\n');
    m.set('app/handler.ts', `import type { Relay } from './relay.js';\nexport function handle(r: Relay): number {\n  return r.forward('u1', 'a') + r.forward('u2', 'b') + (r.online('u') ? 1 : 0);\n}\n`);
    return m;
  };

  test('decorated (the class, or a constructor parameter) and never built with `new`: no adapters[] entry, a TODO saying what to write instead; the draft loads', () => {
    for (const decorated of ['class', 'parameter'] as const) {
      const r = draftManifest({ repoDir, files: sources(decorated, false), canonicalEntry, idPrefix: 'APP' });
      expect(r.manifest.adapters).toEqual([]);
      expect(r.findings.adapters).toEqual([]);
      expect(r.findings.injectedWrappers).toEqual([{ module: 'app/relay', class: 'Relay', at: expect.stringMatching(/^app\/relay\.ts:\d+$/), wraps: 'ConnectionHub', members: [{ member: 'forward', uses: 2 }, { member: 'online', uses: 1 }] }]);
      const note = r.todo.find((t) => t.field === 'adapters');
      expect(note).toMatchObject({ required: false });
      expect(note!.what).toMatch(/^Relay \(app\/relay\.ts:\d+\) is injected with ConnectionHub, but a DI container builds it .*no adapters\[\] entry is drafted .*only if Relay is itself legacy code to retire, list app\/relay under legacy\[\] and describe its used members \(forward 2×, online 1×\) in a classes\[\] entry/);
      expect(r.todo.some((t) => t.field.startsWith('adapters['))).toBe(false);
      expect(parseManifest(r.text, 'ssot.config.json')).toEqual(r.manifest);
    }
  });

  test('built with `new` somewhere, or not decorated: still an adapter', () => {
    for (const [decorated, built] of [['class', true], ['none', false]] as const) {
      const r = draftManifest({ repoDir, files: sources(decorated, built), canonicalEntry, idPrefix: 'APP' });
      expect(r.manifest.adapters.map((a) => a.class)).toEqual(['Relay']);
      expect(r.findings.injectedWrappers).toEqual([]);
    }
  });
});

describe('draftManifest: a manager class the app reads as a value (a DI provider token)', () => {
  // the manager (named by --legacy) is injected into a decorated wrapper, so init takes it for the
  // manager, and listed as a provider: mapped to the canonical interface, `[Relay, PipeManager]`
  // would read a type as a value (TS2693) and the container would have nothing to build
  const sources = (listed: boolean): Map<string, string> => {
    const m = new Map(files);
    m.set('tsconfig.json', '{ "compilerOptions": { "strict": true, "module": "NodeNext", "moduleResolution": "NodeNext", "experimentalDecorators": true, "emitDecoratorMetadata": true } }');
    m.delete('app/notify.ts');
    m.set('lib/pipes.ts', 'export class PipeManager {\n  private readonly pipes = new Map<string, number>();\n  count(u: string): number { return this.pipes.get(u) ?? 0; }\n}\n');
    m.set('app/di.ts', 'export function Injectable(): ClassDecorator { return () => {}; }\n');
    m.set(
      'app/relay.ts',
      `import { PipeManager } from '../lib/pipes.js';
import { Injectable } from './di.js';
@Injectable()
export class Relay {
  constructor(private readonly pipes: PipeManager) {}
  open(u: string): number { return this.pipes.count(u); }
}
`,
    );
    if (listed) m.set('app/module.ts', `import { PipeManager } from '../lib/pipes.js';\nimport { Relay } from './relay.js';\n\nexport const providers = [Relay, PipeManager];\n`);
    return m;
  };
  const draft = (listed: boolean) => draftManifest({ repoDir, files: sources(listed), canonicalEntry, idPrefix: 'APP', legacy: ['lib/pipes.ts'] });

  test('listed as a value: no mapping to ScopedWebSocketManager, a TODO naming where it is read as a value; the draft loads', () => {
    const r = draft(true);
    const pipes = r.manifest.legacy.find((l) => l.module === 'lib/pipes')!;
    expect(pipes.symbols).toEqual({});
    const i = r.manifest.legacy.indexOf(pipes);
    const note = r.todo.find((t) => t.field === `legacy[${i}].symbols.PipeManager`);
    expect(note).toMatchObject({ required: false });
    expect(note!.what).toMatch(/^the legacy class itself, read as a value by code that stays \(app\/module\.ts:4: .*not mapped to ScopedWebSocketManager.*splits entry/);
    expect(parseManifest(r.text, 'ssot.config.json')).toEqual(r.manifest);
  });

  test('held only as a type (a constructor parameter): mapped to ScopedWebSocketManager as before', () => {
    const r = draft(false);
    expect(r.manifest.legacy.find((l) => l.module === 'lib/pipes')!.symbols).toEqual({ PipeManager: 'ScopedWebSocketManager' });
  });
});

describe('draftManifest: a workspace monorepo (the manager imported through its package name)', () => {
  // packages/ws is `@repo/ws` (no main, no exports: a TypeScript source package); the other packages
  // import it by name — with no node_modules links, only the workspace map resolves those imports
  const sources = new Map<string, string>([
    ['package.json', JSON.stringify({ name: 'root', workspaces: ['packages/*'], scripts: { test: 'vitest run' } })],
    ['packages/ws/src/index.ts', `export class RoomRegistry {
  private rooms = new Map<string, Set<{ send(d: string): void }>>();
  add(room: string, ws: { send(d: string): void }): void { (this.rooms.get(room) ?? this.rooms.set(room, new Set()).get(room)!).add(ws); }
  broadcast(room: string, event: object): void { for (const ws of this.rooms.get(room) ?? []) ws.send(JSON.stringify(event)); }
}
export const registry = new RoomRegistry();
export function publish(room: string, event: object): void { registry.broadcast(room, event); }
`],
    ['packages/jobs/src/run.ts', `import { publish, registry } from '@repo/ws';
export function done(room: string): void {
  publish(room, { type: 'done' });
  registry.broadcast(room, { type: 'bye' });
}
`],
    ['packages/api/src/route.ts', `import { registry } from '@repo/ws';
export function join(room: string, ws: { send(d: string): void }): void {
  registry.add(room, ws);
}
`],
  ]);
  const workspaces = new Map([['@repo/ws', { dir: 'packages/ws' }], ['@repo/jobs', { dir: 'packages/jobs' }], ['@repo/api', { dir: 'packages/api' }]]);
  const draft = (withWorkspaces: boolean) =>
    draftManifest({ repoDir, files: sources, canonicalEntry, idPrefix: 'APP', legacy: ['packages/ws/src/index.ts'], ...(withWorkspaces ? { workspaces } : {}) });

  test("imports by package name count: the instance's member calls in other packages, and who imports the free function", () => {
    const r = draft(true);
    // broadcast: packages/jobs' call and the legacy module's own publish()
    expect(r.findings.classes.find((c) => c.class === 'RoomRegistry')?.members).toEqual([
      { member: 'broadcast', uses: 2 },
      { member: 'add', uses: 1 },
    ]);
    expect(r.todo.find((t) => t.field === 'legacy[0].symbols.publish')?.what).toMatch(/imported by 1 non-legacy file\(s\)/);
    expect(r.findings.instances.map((i) => [i.name, [...i.users].sort()])).toEqual([['registry', ['packages/api/src/route.ts', 'packages/jobs/src/run.ts']]]);
    expect(parseManifest(r.text, 'ssot.config.json')).toEqual(r.manifest);
  });

  test('without the workspace map (what init read before): none of those imports is seen', () => {
    const r = draft(false);
    expect(r.findings.classes.find((c) => c.class === 'RoomRegistry')?.members).toEqual([{ member: 'broadcast', uses: 1 }]);
    expect(r.todo.find((t) => t.field === 'legacy[0].symbols.publish')?.what).toMatch(/no non-legacy file imports it/);
  });

  // no root tsconfig (each package or app has its own): the manifest names the one holding the legacy module
  const withConfigs = (configs: Record<string, object>) => {
    const m = new Map(sources);
    for (const [f, c] of Object.entries(configs)) m.set(f, JSON.stringify(c));
    return draftManifest({ repoDir, files: m, canonicalEntry, idPrefix: 'APP', legacy: ['packages/ws/src/index.ts'], workspaces });
  };
  const strict = { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext' };
  test("drafts `tsconfig` as the nearest tsconfig upwards from the legacy module that holds it", () => {
    const r = withConfigs({
      'packages/tsconfig.json': { compilerOptions: strict },
      'packages/ws/tsconfig.json': { compilerOptions: strict, include: ['src'] },
      'packages/api/tsconfig.json': { compilerOptions: strict, include: ['src'] },
    });
    expect(r.manifest.tsconfig).toBe('packages/ws/tsconfig.json');
    expect(r.todo.find((t) => t.field === 'tsconfig')).toBeUndefined();
    expect(parseManifest(r.text, 'ssot.config.json')).toEqual(r.manifest);
    // the checker read it: the imports by package name still count
    expect(r.findings.classes.find((c) => c.class === 'RoomRegistry')?.members).toEqual([
      { member: 'broadcast', uses: 2 },
      { member: 'add', uses: 1 },
    ]);
  });

  test("skips one upwards that does not hold it (its include, its exclude) for one elsewhere that does (an app's, reaching into the packages)", () => {
    const r = withConfigs({
      'packages/ws/tsconfig.json': { compilerOptions: strict, include: ['test'] },
      'packages/tsconfig.json': { compilerOptions: strict, exclude: ['ws/src'] },
      'apps/web/tsconfig.json': { compilerOptions: strict, include: ['.', '../../packages/*/src'] },
      'apps/admin/tsconfig.json': { compilerOptions: strict },
    });
    expect(r.manifest.tsconfig).toBe('apps/web/tsconfig.json');
  });

  test("failing that, one whose `paths` reach it: a Next.js app's, as in the Claudable trial (apps/web/tsconfig.json at 66488ca)", () => {
    const r = withConfigs({
      'apps/web/tsconfig.json': {
        compilerOptions: { ...strict, module: 'esnext', moduleResolution: 'bundler', baseUrl: '.', paths: { '@/*': ['./*'], '@repo/*': ['../../packages/*/src', '../../packages/*'] } },
        include: ['next-env.d.ts', '**/*.ts', '**/*.tsx', '.next/types/**/*.ts'],
        exclude: ['node_modules'],
      },
      'apps/admin/tsconfig.json': { compilerOptions: { ...strict, paths: { '@/*': ['./*'] } } },
    });
    expect(r.manifest.tsconfig).toBe('apps/web/tsconfig.json');
    expect(r.todo.find((t) => t.field === 'tsconfig')).toBeUndefined();
  });

  test('keeps the default and says so when no tsconfig of the repo holds the legacy module; a root tsconfig.json wins', () => {
    const none = withConfigs({ 'apps/web/tsconfig.json': { compilerOptions: strict, files: ['index.ts'] } });
    expect(none.manifest.tsconfig).toBe('tsconfig.json');
    expect(none.todo.find((t) => t.field === 'tsconfig')?.what).toMatch(/none of its apps\/web\/tsconfig\.json holds packages\/ws\/src\/index/);
    const rooted = withConfigs({ 'tsconfig.json': { compilerOptions: strict, include: ['apps'] }, 'packages/ws/tsconfig.json': { compilerOptions: strict } });
    expect(rooted.manifest.tsconfig).toBe('tsconfig.json');
    expect(rooted.todo.find((t) => t.field === 'tsconfig')).toBeUndefined();
  });

  // `extends` read as tsc reads it (ts.parseJsonConfigFileContent): an inherited include/exclude is relative to the
  // config declaring it; inherited paths and baseUrl count; a package specifier and an array (TS 5) are followed
  test('an `extends` base`s include counts: a config that only extends one including elsewhere does not hold the module', () => {
    const r = withConfigs({
      'tsconfig.base.json': { compilerOptions: strict, include: ['packages/*/test'] },
      'packages/ws/tsconfig.json': { extends: '../../tsconfig.base.json' },
      'packages/api/tsconfig.json': { extends: '../../tsconfig.base.json', include: ['src', '../ws/src'] },
    });
    expect(r.manifest.tsconfig).toBe('packages/api/tsconfig.json');
    // the base's exclude, relative to the base, takes it out again
    const excluded = withConfigs({
      'configs/strict.json': { compilerOptions: strict, exclude: ['../packages/ws/src'] },
      'packages/ws/tsconfig.json': { extends: '../../configs/strict.json' },
      'packages/api/tsconfig.json': { compilerOptions: strict, include: ['../ws/src'] },
    });
    expect(excluded.manifest.tsconfig).toBe('packages/api/tsconfig.json');
  });

  test('`paths` inherited through `extends` (a package specifier and a relative path, as an array) reach the module, and the checker reads them', () => {
    const r = draftManifest({
      repoDir,
      files: new Map([
        ...sources,
        ['node_modules/@repo/tsconfig/nextjs.json', JSON.stringify({ compilerOptions: { ...strict, module: 'esnext', moduleResolution: 'bundler' }, include: ['${configDir}/app'] })],
        ['apps/web/paths.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@repo/*': ['../../packages/*/src'] } } })],
        ['apps/web/tsconfig.json', JSON.stringify({ extends: ['@repo/tsconfig/nextjs.json', './paths.json'] })],
        ['apps/admin/tsconfig.json', JSON.stringify({ compilerOptions: { ...strict, paths: { '@/*': ['./*'] } } })],
      ]),
      canonicalEntry,
      idPrefix: 'APP',
      legacy: ['packages/ws/src/index.ts'],
    });
    expect(r.manifest.tsconfig).toBe('apps/web/tsconfig.json');
    expect(r.todo.find((t) => t.field === 'tsconfig')).toBeUndefined();
    // no workspace map: only the inherited paths resolve `@repo/ws` for the checker
    expect(r.findings.classes.find((c) => c.class === 'RoomRegistry')?.members).toEqual([
      { member: 'broadcast', uses: 2 },
      { member: 'add', uses: 1 },
    ]);
  });
});

describe('draftManifest: a CommonJS module of free functions in plain JavaScript (untyped ids)', () => {
  // swiftraccoon/signal-web: `module.exports = { addConnection, isOnline, … }` over a Map keyed by
  // SQLite's numeric user ids, destructured from require() by four files. init drafted
  // `$hub.isOnline($1)` — the hub keys users by string, so `isOnline(7)` was silently false — and
  // counted each require() binding as a use (isOnline "×13" for 9 calls)
  const conns = `const byUser = new Map();
function isOnline(userId) { return byUser.has(userId); }
function broadcastAll(message) { for (const ws of byUser.values()) ws.send(JSON.stringify(message)); return byUser.size; }
function track(userId, ws) { byUser.set(userId, ws); }
module.exports = { isOnline, broadcastAll, track };
`;
  const use = `const { isOnline, broadcastAll } = require('./conns');
const { isOnline: online, track } = require('./conns');
function notify(user, ws) {
  track(user.id, ws);
  if (isOnline(user.id)) broadcastAll({ type: 'hello' });
  return online(user.id);
}
module.exports = { notify };
`;
  const jsRepo = (crlfBom: boolean) => {
    const f = (t: string) => (crlfBom ? `\uFEFF${t.replace(/\n/g, '\r\n')}` : t);
    return new Map<string, string>([['package.json', JSON.stringify({ name: 'repo', scripts: { test: 'node test.js' } })], ['server/conns.js', f(conns)], ['server/use.js', f(use)]]);
  };

  for (const crlfBom of [false, true]) {
    test(`an untyped id passed to a hub operation taking a string is drafted as $n == null ? $n : String($n); require() bindings are not counted as uses${crlfBom ? ' (CRLF + BOM)' : ''}`, () => {
      const r = draftManifest({ repoDir, files: jsRepo(crlfBom), canonicalEntry, legacy: ['server/conns'] });
      expect(r.findings.functions).toEqual([
        {
          module: 'server/conns',
          functions: [
            { member: 'isOnline', uses: 2, template: '$hub.isOnline($1 == null ? $1 : String($1))' },
            { member: 'broadcastAll', uses: 1, template: '$hub.broadcastAll($1)' },
            { member: 'track', uses: 1 },
          ],
        },
      ]);
      expect(r.manifest.functions).toEqual([{ module: 'server/conns', templates: { isOnline: '$hub.isOnline($1 == null ? $1 : String($1))', broadcastAll: '$hub.broadcastAll($1)' } }]);
      expect(parseManifest(r.text, 'ssot.config.json').functions[0]?.templates['isOnline']).toBe('$hub.isOnline($1 == null ? $1 : String($1))');
    });
  }

  test('an object manager whose used members are all TODOs suggesting $hub lists hubOperations in canonical.exports (the manifest check refuses a $hub template without it)', () => {
    // w39011651/MultimediaSystemDemo signaling-server: `module.exports = { addClient(ws) {…}, getClient(id) {…} }`
    const objectRepo = new Map<string, string>([
      ['package.json', JSON.stringify({ name: 'repo', scripts: { test: 'node test.js' } })],
      ['managers/Clients.js', 'let clients = {};\nlet next = 1;\nmodule.exports = {\n  addClient(ws) { const id = `user${next++}`; clients[id] = ws; return id; },\n  getClient(id) { return clients[id]; },\n};\n'],
      ['server.js', "const Clients = require('./managers/Clients');\nmodule.exports = (ws) => Clients.getClient(Clients.addClient(ws));\n"],
    ]);
    const r = draftManifest({ repoDir, files: objectRepo, canonicalEntry, legacy: ['managers/Clients.js'] });
    expect(r.manifest.classes).toEqual([{ module: 'managers/Clients', class: 'default', members: {} }]);
    expect(r.todo.filter((t) => t.field.startsWith('classes[0].members.')).map((t) => t.what)).toEqual([expect.stringContaining('a template ($hub.…'), expect.stringContaining('a template ($hub.…')]);
    expect(r.manifest.canonical.exports).toContain('hubOperations');
  });

  test('a typed string parameter is passed as it is', () => {
    const typed = new Map([...jsRepo(false)].map(([k, v]) => [k.replace(/\.js$/, '.ts'), v]));
    typed.set('server/conns.ts', conns.replace('function isOnline(userId)', 'function isOnline(userId: string)').replace('module.exports = { isOnline, broadcastAll, track };', 'export { isOnline, broadcastAll, track };'));
    typed.set('server/use.ts', "import { isOnline } from './conns.js';\nexport const n = (id: string): boolean => isOnline(id);\n");
    const r = draftManifest({ repoDir, files: typed, canonicalEntry, legacy: ['server/conns'] });
    expect(r.manifest.functions).toEqual([{ module: 'server/conns', templates: { isOnline: '$hub.isOnline($1)' } }]);
  });
});
