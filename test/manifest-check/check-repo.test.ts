/**
 * The manifest checked against the repo (codemods/snapshot/manifest-check.ts): one small real
 * repo (test/manifest-check/fixture.ts), one manifest variant per check, each with its message
 * and field path.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RepoSnapshot } from '../../codemods/index.js';
import { ManifestError } from '../../manifest/index.js';
import { BUILT_CLI } from '../runner/cli-process.js';
import { goodManifest, makeCheckRepo, type Json } from './fixture.js';

let repo = '';
beforeAll(() => {
  repo = makeCheckRepo(goodManifest());
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

/** The check's issue lines (`<field>: <message>`) for `patch` applied to the good manifest. */
async function problems(patch: (m: Json & { legacy: Json[]; adapters: Json[]; classes: Json[]; factory: Json & { entries: Json[] }; canonical: Json }) => void, opts: { legacyRemoved?: boolean } = {}): Promise<string[]> {
  const m = goodManifest() as Parameters<typeof patch>[0];
  patch(m);
  const snapshot = await RepoSnapshot.open(repo, { manifestText: JSON.stringify(m) });
  try {
    snapshot.checkManifest(opts);
    return [];
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    expect(err.message.split('\n').every((l) => l.startsWith(`${repo}/ssot.config.json: `))).toBe(true);
    return err.issues.map((i) => `${i.path}: ${i.message}`);
  }
}

/** The check accepts the manifest of a repo made for one test; the repo is removed after. */
async function expectAcceptedIn(dir: string): Promise<void> {
  try {
    const snapshot = await RepoSnapshot.open(dir);
    expect(() => snapshot.checkManifest()).not.toThrow();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The check's issue lines for the manifest of a repo made for one test (it must refuse it); the repo is removed after. */
async function issuesIn(dir: string): Promise<string[]> {
  try {
    const snapshot = await RepoSnapshot.open(dir);
    try {
      snapshot.checkManifest();
    } catch (err) {
      if (!(err instanceof ManifestError)) throw err;
      return err.issues.map((x) => `${x.path}: ${x.message}`);
    }
    throw new Error('the check accepted a manifest it should refuse');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the manifest against the repo', () => {
  test('a manifest that matches the repo passes (index module, re-export and alias, inherited member, static method, arrow function, healed name)', async () => {
    expect(await problems(() => {})).toEqual([]);
  }, 60_000);

  test('a legacy module that does not exist: the field, and the closest module', async () => {
    expect(await problems((m) => (m.legacy[2]!.module = 'src/ws/factroy'))).toEqual([
      'legacy[2].module: module "src/ws/factroy" does not exist in the repo (did you mean "src/ws/factory"?); modules are repo-relative paths without extension',
    ]);
  }, 60_000);

  test('a boot construction (constructions[]): its class, and each wiring member, exist', async () => {
    const out = await problems((m) => {
      m['constructions'] = [
        { module: 'src/ws/manager', class: 'Manager', replacement: 'createManager()', wiring: ['send', 'baseOnly', 'sned'] },
        { module: 'src/ws/manager', class: 'Manger', replacement: 'createManager()' },
      ];
    });
    expect(out).toEqual([
      'constructions[0].wiring[2]: "sned" is not a member of Manager (did you mean "send"?)',
      'constructions[1].class: src/ws/manager declares no class "Manger" (did you mean "Manager"?)',
    ]);
  }, 60_000);

  test('a tsconfig "paths" alias instead of the repo path is named as such', async () => {
    const out = await problems((m) => (m.legacy[2]!.module = '@ws/factory'));
    expect(out).toEqual(['legacy[2].module: module "@ws/factory" does not exist in the repo (it is a tsconfig "paths" alias of "src/ws/factory"; write the repo-relative path); modules are repo-relative paths without extension']);
  }, 60_000);

  test('an adapter module, a class module and a factory module that do not exist', async () => {
    const out = await problems((m) => {
      m.adapters[0]!.module = 'src/ws/adaptor';
      m.factory.entries[1]!.module = 'src/wss';
    });
    expect(out).toContain('adapters[0].module: module "src/ws/adaptor" does not exist in the repo (did you mean "src/ws/adapter"?); modules are repo-relative paths without extension');
    expect(out).toContain('factory.entries[1].module: module "src/wss" does not exist in the repo (did you mean "src/ws"?); modules are repo-relative paths without extension');
  }, 60_000);

  test('after remove-shim the deleted legacy modules are expected', async () => {
    expect(await problems((m) => (m.legacy[2]!.module = 'src/ws/gone'), { legacyRemoved: true })).toEqual([]);
  }, 60_000);

  test('a symbols key the module does not export: did you mean, and the healed marker', async () => {
    const out = await problems((m) => {
      (m.legacy[0]!.symbols as Json)['Managr'] = 'ScopedManager';
    });
    expect(out).toEqual([
      'legacy[0].symbols.Managr: "Managr" is not exported by src/ws (did you mean "Manager"?); if the module no longer exports it on purpose (a dangling import the rewrite heals), list it in legacy[0].healed',
    ]);
    expect(
      await problems((m) => {
        (m.legacy[0]!.symbols as Json)['Managr'] = 'ScopedManager';
        m.legacy[0]!.healed = ['Managr'];
      }),
    ).toEqual([]);
  }, 60_000);

  test('a healed name the module still exports is refused', async () => {
    expect(await problems((m) => (m.legacy[1]!.healed = ['OldManager', 'Manager']))).toEqual([
      'legacy[1].healed[1]: "Manager" is exported by src/ws/manager; healed lists only names the module no longer exports (remove it here)',
    ]);
  }, 60_000);

  test('a factory entry: a static method typo, an unknown function, a non-function, a non-class', async () => {
    const out = await problems((m) => {
      m.factory.entries = [
        { module: 'src/ws/factory', call: 'WebSocketManagerFactory.getInstanse' },
        { module: 'src/ws', call: 'getManagr' },
        { module: 'src/ws/factory', call: 'notAFunction' },
        { module: 'src/ws/manager', call: 'getManager.call' },
        { module: 'src/ws/factory', call: 'WebSocketManagerFactory.version' },
      ];
    });
    expect(out).toEqual([
      'factory.entries[0].call: "getInstanse" is not a static method of WebSocketManagerFactory (did you mean "getInstance"?)',
      'factory.entries[1].call: "getManagr" is not exported by src/ws (did you mean "getManager"?)',
      'factory.entries[2].call: "notAFunction" exported by src/ws/factory is not a function',
      'factory.entries[3].call: "getManager" exported by src/ws/manager is not a class (write "name" for a function, "Class.method" for a static method)',
      'factory.entries[4].call: "WebSocketManagerFactory.version" is not a method',
    ]);
  }, 60_000);

  test('a class that does not exist, and members its templates name that it lacks', async () => {
    expect(await problems((m) => (m.classes[0]!.class = 'Managr'))).toEqual(['classes[0].class: src/ws/manager declares no class, interface or object-literal const "Managr" (did you mean "Manager"?)']);
    const out = await problems((m) => {
      m.classes[0]!.members = { sendd: '$hub.sendToUser($1, $2)' };
      m.classes[0]!.legacyMembers = ['mdoe'];
    });
    expect(out).toEqual(['classes[0].members.sendd: "sendd" is not a member of Manager (did you mean "send"?)', 'classes[0].legacyMembers[0]: "mdoe" is not a member of Manager (did you mean "mode"?)']);
  }, 60_000);

  test('an entry describing an interface: its members checked, nothing served by legacy code', async () => {
    const entry = (members: Record<string, string>, legacyMembers?: string[]): Json => ({ module: 'src/ws/manager', class: 'ManagerProtocol', members, ...(legacyMembers ? { legacyMembers } : {}) });
    expect(await problems((m) => m.classes.push(entry({ connectionCount: '$hub.connectionCount()' })))).toEqual([]);
    expect(await problems((m) => m.classes.push(entry({ connectionCont: '$hub.connectionCount()' })))).toEqual(['classes[1].members.connectionCont: "connectionCont" is not a member of ManagerProtocol (did you mean "connectionCount"?)']);
    expect(await problems((m) => m.classes.push(entry({ connectionCount: '$legacy.connectionCount()' })))).toEqual(['classes[1].members.connectionCount: ManagerProtocol is an interface: no legacy object serves "connectionCount" ($legacy, $self, legacyMembers); give it a canonical template']);
    expect(await problems((m) => m.classes.push(entry({}, ['connectionCount'])))).toEqual(['classes[1].legacyMembers[0]: ManagerProtocol is an interface: no legacy object serves "connectionCount" ($legacy, $self, legacyMembers); give it a canonical template']);
  }, 60_000);

  test('$m (the receiver, kept) in an interface entry only; an instances[] name its module exports', async () => {
    const iface: Json = { module: 'src/ws/manager', class: 'ManagerProtocol', members: { connectionCount: '$m.connectionCount()' } };
    expect(await problems((m) => m.classes.push(iface))).toEqual([]);
    expect(await problems((m) => (m.classes[0]!.members = { send: '$m.send($1, $2)' }))).toEqual(['classes[0].members.send: Manager is a class: "send"\'s template uses $m (the receiver, kept), which is for an interface entry; a class\'s calls go through the shim\'s canonical object']);
    expect(await problems((m) => ((m as Json)['instances'] = [{ module: 'src/ws', name: 'getManager', replacement: '$hub' }]))).toEqual([]);
    expect(await problems((m) => ((m as Json)['instances'] = [{ module: 'src/ws', name: 'getManagr', replacement: '$hub' }]))).toEqual(['instances[0].name: "getManagr" is not exported by src/ws (did you mean "getManager"?)']);
  }, 60_000);

  test('an instances[] entry whose value is an instance of a legacy class no classes[] entry describes is refused, naming the entry to add', async () => {
    const m = goodManifest() as Json & { legacy: Json[]; classes: Json[] };
    m.legacy.push({ id: 'WSM012', module: 'src/ws/hub', symbols: {} });
    m['instances'] = [{ module: 'src/ws/hub', name: 'hub', replacement: '$hub' }];
    const files = { 'src/ws/hub.ts': 'export class SocketHub {\n  send(userId: string, data: string): void { void userId; void data; }\n}\nexport const hub = new SocketHub();\n' };
    expect((await issuesIn(makeCheckRepo(m, files))).join('\n')).toContain('instances[0].name: "hub" is an instance of SocketHub (src/ws/hub), which no classes[] entry describes: strangle would re-export it unrouted (its calls reach the legacy object in every shim mode) and remove-adapters has no template for its member calls; add a classes[] entry for SocketHub (a template per member its users call, legacyMembers for those kept on legacy code)');
    m.classes.push({ module: 'src/ws/hub', class: 'SocketHub', members: {}, legacyMembers: ['send'] });
    await expectAcceptedIn(makeCheckRepo(m, files));
  }, 60_000);

  test('an instances[] name of a CommonJS module, read as remove-adapters and init read it: `module.exports = new M()` is default, `exports.m = new M()` is m', async () => {
    const m = goodManifest() as Json & { legacy: Json[] };
    m.legacy.push({ id: 'WSM010', module: 'src/ws/single', symbols: {} }, { id: 'WSM011', module: 'src/ws/named', symbols: {} });
    m['instances'] = [{ module: 'src/ws/single', name: 'default', replacement: '$hub' }, { module: 'src/ws/named', name: 'named', replacement: '$hub' }];
    const files = { 'src/ws/single.js': "'use strict';\nclass S {}\nmodule.exports = new S();\n", 'src/ws/named.js': "'use strict';\nclass N {}\nexports.named = new N();\n" };
    await expectAcceptedIn(makeCheckRepo(m, files));
    m['instances'] = [{ module: 'src/ws/named', name: 'nmed', replacement: '$hub' }];
    expect((await issuesIn(makeCheckRepo(m, files))).join('\n')).toMatch(/instances\[0\]\.name: "nmed" is not exported by src\/ws\/named \(did you mean "named"\?\)/);
  }, 60_000);

  test('an object manager (classes[] naming a const that holds an object literal): its members and legacyMembers, with the closest one; no $m or static', async () => {
    const m = goodManifest() as Json & { legacy: Json[]; classes: Json[] };
    m.legacy.push({ id: 'WSM010', module: 'src/ws/orders', symbols: {} });
    const files = { 'src/ws/orders.ts': "const clients = new Map<string, { send(d: string): void }>();\nexport const wsManager = {\n  register(id: string, s: { send(d: string): void }) { clients.set(id, s); },\n  notify: (id: string, p: object) => clients.get(id)?.send(JSON.stringify(p)),\n} as const;\n" };
    m.classes.push({ module: 'src/ws/orders', class: 'wsManager', members: { register: '$hub.connect($1, $2)', notify: '$hub.sendToUser($1, { ...$2 })' } });
    await expectAcceptedIn(makeCheckRepo(m, files));
    m.classes[m.classes.length - 1] = { module: 'src/ws/orders', class: 'wsManager', members: { regster: '$hub.connect($1, $2)', notify: '$m.notify($1, $2)' }, legacyMembers: ['register', 'unregister'], statics: { make: '$hub.health()' } };
    const i = m.classes.length - 1;
    expect(await issuesIn(makeCheckRepo(m, files))).toEqual([
      `classes[${i}].members.notify: wsManager is an object literal (an object manager): "notify"'s template uses $m (the object itself, which goes with its module); write what the call becomes without it`,
      `classes[${i}].members.regster: "regster" is not a member of wsManager (did you mean "register"?)`,
      `classes[${i}].legacyMembers[1]: "unregister" is not a member of wsManager (did you mean "register"?)`,
      `classes[${i}].statics.make: wsManager is an object literal: it has no statics (its members are templated under members)`,
    ]);
    // a name that is neither: the object-literal consts are among the names offered
    expect(await problems((mm) => mm.classes.push({ module: 'src/ws/manager', class: 'Managr', members: {} }))).toEqual([`classes[${(goodManifest() as Json & { classes: Json[] }).classes.length}].class: src/ws/manager declares no class, interface or object-literal const "Managr" (did you mean "Manager"?)`]);
  }, 60_000);

  test('a CommonJS object manager (`module.exports = { register() {…} }`, classes[] "class": "default"): accepted; its members checked with the closest one', async () => {
    const m = goodManifest() as Json & { legacy: Json[]; classes: Json[] };
    m.legacy.push({ id: 'WSM011', module: 'src/ws/cjsManager', symbols: {} });
    const files = { 'src/ws/cjsManager.js': "'use strict';\nconst clients = new Map();\nmodule.exports = {\n  register(id, s) { clients.set(id, s); },\n  notify: (id, p) => clients.get(id)?.send(JSON.stringify(p)),\n};\n" };
    m.classes.push({ module: 'src/ws/cjsManager', class: 'default', members: { register: '$hub.connect($1, $2)', notify: '$hub.sendToUser($1, { ...$2 })' } });
    await expectAcceptedIn(makeCheckRepo(m, files));
    m.classes[m.classes.length - 1] = { module: 'src/ws/cjsManager', class: 'default', members: { notfy: '$hub.sendToUser($1, { ...$2 })' } };
    expect(await issuesIn(makeCheckRepo(m, files))).toEqual([`classes[${m.classes.length - 1}].members.notfy: "notfy" is not a member of default (did you mean "notify"?)`]);
  }, 60_000);

  test('an object manager as the whole export (`export default { … }`, `const hub = { … }; export default hub`, `const hub = { … }; module.exports = hub`, classes[] "class": "default"): accepted; its members checked with the closest one', async () => {
    const m = goodManifest() as Json & { legacy: Json[]; classes: Json[] };
    m.legacy.push({ id: 'WSM012', module: 'src/ws/esmDefault', symbols: {} }, { id: 'WSM013', module: 'src/ws/esmConst', symbols: {} }, { id: 'WSM014', module: 'src/ws/cjsConst', symbols: {} });
    const body = "  register(id: string, s: { send(d: string): void }) { clients.set(id, s); },\n  notify: (id: string, p: object) => clients.get(id)?.send(JSON.stringify(p)),\n";
    const files = {
      'src/ws/esmDefault.ts': `const clients = new Map<string, { send(d: string): void }>();\nexport default {\n${body}};\n`,
      'src/ws/esmConst.ts': `const clients = new Map<string, { send(d: string): void }>();\nconst hub = {\n${body}};\nexport default hub;\n`,
      'src/ws/cjsConst.js': "'use strict';\nconst clients = new Map();\nconst hub = {\n  register(id, s) { clients.set(id, s); },\n};\nmodule.exports = hub;\n",
    };
    const members = { register: '$hub.connect($1, $2)', notify: '$hub.sendToUser($1, { ...$2 })' };
    m.classes.push({ module: 'src/ws/cjsConst', class: 'default', members: { register: '$hub.connect($1, $2)' } }, { module: 'src/ws/esmDefault', class: 'default', members }, { module: 'src/ws/esmConst', class: 'default', members });
    await expectAcceptedIn(makeCheckRepo(m, files));
    m.classes[m.classes.length - 2] = { module: 'src/ws/esmDefault', class: 'default', members: { notfy: '$hub.sendToUser($1, { ...$2 })' } };
    m.classes[m.classes.length - 1] = { module: 'src/ws/esmConst', class: 'default', members: { notify: '$m.notify($1, $2)' } };
    expect(await issuesIn(makeCheckRepo(m, files))).toEqual([
      `classes[${m.classes.length - 2}].members.notfy: "notfy" is not a member of default (did you mean "notify"?)`,
      `classes[${m.classes.length - 1}].members.notify: default is an object literal (an object manager): "notify"'s template uses $m (the object itself, which goes with its module); write what the call becomes without it`,
    ]);
  }, 60_000);

  test('free functions (functions[]): each templated name is a function its module exports, with the closest one', async () => {
    const out = await problems((m) => {
      m['functions'] = [{ module: 'src/ws/factory', templates: { arrowFactory: '$hub.health()', arowFactory: '$hub.health()', notAFunction: '$hub.health()' } }];
    });
    expect(out).toEqual([
      'functions[0].templates.arowFactory: "arowFactory" is not exported by src/ws/factory (did you mean "arrowFactory"?)',
      'functions[0].templates.notAFunction: "notAFunction" exported by src/ws/factory is not a function (a template here is expanded at each call)',
    ]);
  }, 60_000);

  test('classes[].statics: each templated name is a static of the class (method or property), with the closest one; an interface has none', async () => {
    const out = await problems((m) => {
      m.classes.push({ module: 'src/ws/factory', class: 'WebSocketManagerFactory', members: {}, statics: { getInstance: '$hub', version: '$hub', getInstanc: '$hub', send: '$hub' } });
      m.classes.push({ module: 'src/ws/manager', class: 'ManagerProtocol', members: {}, statics: { connectionCount: '$hub.connectionCount($1)' } });
    });
    expect(out).toEqual([
      'classes[1].statics.getInstanc: "getInstanc" is not a static of WebSocketManagerFactory (did you mean "getInstance"?)',
      'classes[1].statics.send: "send" is not a static of WebSocketManagerFactory',
      'classes[2].statics.connectionCount: ManagerProtocol is an interface: it has no statics (a statics template needs the class)',
    ]);
  }, 60_000);

  test('an adapter class and adapter methods', async () => {
    expect(await problems((m) => (m.adapters[0]!.class = 'ManagerAdaptor'))).toEqual(['adapters[0].class: src/ws/adapter declares no class "ManagerAdaptor" (did you mean "ManagerAdapter"?)']);
    expect(await problems((m) => (m.adapters[0]!.methods = { notifyStart: '$m.emit($1)' }))).toEqual(['adapters[0].methods.notifyStart: "notifyStart" is not a member of ManagerAdapter (did you mean "notifyStarted"?)']);
  }, 60_000);

  test('a split class (splits[]): its kept members checked where it is, in its legacy module or, once moved, in its app module', async () => {
    const split = (keep: string[]) => (m: Json & { classes: Json[] }) => {
      m['splits'] = [{ module: 'src/ws/manager', class: 'Manager', to: 'src/app/manager', keep }];
      m.classes[0]!['members'] = { send: '$user($1).sendToUser($1, $2)' };
      delete m.classes[0]!['legacyMembers'];
    };
    expect(await problems(split(['mode']))).toEqual([]);
    expect(await problems(split(['sned']))).toEqual(['splits[0].keep[0]: "sned" is not a member of Manager (did you mean "send"?)']);
    // the class stays whole: keep may name its statics (a singleton's private `instance` and `getInstance`, what discover proposes)
    const singleton = goodManifest() as Json & { classes: Json[] };
    split(['mode', 'instance', 'getInstance'])(singleton);
    for (const l of singleton['legacy'] as Array<{ symbols: Record<string, string> }>) delete l.symbols['Manager'];
    const withStatics = makeCheckRepo(singleton, {
      'src/ws/manager.ts': "export class Manager {\n  private static instance: Manager | undefined;\n  static getInstance(): Manager { return (this.instance ??= new Manager()); }\n  send(userId: string, data: unknown): void { void userId; void data; }\n  get mode(): string { return 'legacy'; }\n}\nexport function getManager(): Manager { return Manager.getInstance(); }\nexport type ManagerMode = 'legacy' | 'canonical';\nexport interface ManagerProtocol { connectionCount(): number }\n",
    });
    await expectAcceptedIn(withStatics);
    // moved by move-declarations: the app module declares it, the legacy module no more; the socket members may be gone already
    const moved = goodManifest() as Json & { classes: Json[] };
    // statics are members a split keeps or drops too (a singleton's instance and getInstance())
    split(['mode', 'instance', 'getInstance'])(moved);
    for (const l of moved['legacy'] as Array<{ symbols: Record<string, string> }>) delete l.symbols['Manager']; // a split class is not renamed
    const dir = makeCheckRepo(moved, {
      'src/ws/manager.ts': "export function getManager(): unknown { return undefined; }\nexport type ManagerMode = 'legacy' | 'canonical';\nexport interface ManagerProtocol { connectionCount(): number }\n",
      'src/app/manager.ts': "export class Manager {\n  private static instance: Manager | undefined;\n  static getInstance(): Manager { return (Manager.instance ??= new Manager()); }\n  get mode(): string { return 'app'; }\n}\n",
    });
    await expectAcceptedIn(dir);
  }, 60_000);

  test('a class described at its strangled module is looked up in the frozen body', async () => {
    const strangled = makeCheckRepo(goodManifest(), {
      'src/ws/adapter.ts': "// ssot-migrate: strangler facade\nexport { ManagerAdapter } from './adapter.legacy';\n",
      'src/ws/adapter.legacy.ts': "export class ManagerAdapter {\n  constructor(private readonly m: unknown) {}\n  notifyStarted(name: string): void { void this.m; void name; }\n}\n",
    });
    await expectAcceptedIn(strangled);
  }, 60_000);
});

describe('what the check cannot see is not reported as missing', () => {
  test('members inherited from a class outside the checked modules (node:events), and exports re-exported from a package', async () => {
    const m = goodManifest() as { legacy: Json[]; classes: Json[] };
    m.legacy.push({ id: 'WSM006', module: 'src/ws/bus', symbols: { Bus: 'ScopedManager', FromPkg: 'ScopedManager' } });
    m.classes.push({ module: 'src/ws/bus', class: 'Bus', members: { on: '$hub.health()', publish: '$hub.health()' } });
    const repo2 = makeCheckRepo(m, {
      'src/ws/bus.ts': "import { EventEmitter } from 'node:events';\nexport * from 'some-package-not-installed';\nexport class Bus extends EventEmitter {\n  publish(): void {}\n}\n",
    });
    await expectAcceptedIn(repo2);
  }, 60_000);
});

describe('fields optional by selected phase', () => {
  test('a field a selected phase needs is named with the phase', async () => {
    const out = await problems((m) => {
      delete m.canonical['contextType'];
      delete m.canonical['factory'];
    });
    expect(out).toEqual([
      'canonical.contextType: canonical.contextType is required by phase strangle',
      'canonical.factory: canonical.factory is required by phase strangle',
      'canonical.contextType: canonical.contextType is required by phase remove-adapters (because factory is given)',
      'canonical.factory: canonical.factory is required by phase remove-adapters (because factory is given)',
    ]);
  }, 60_000);

  test('a pure module move needs only canonical.module, canonical.exports, legacy and verify', async () => {
    const out = await problems((m) => {
      for (const k of ['adapters', 'classes', 'factory', 'duplicateTypes']) delete (m as Json)[k];
      delete m.canonical['contextType'];
      delete m.canonical['factory'];
      m['phases'] = ['discover', 'rewrite-imports'];
    });
    expect(out).toEqual([]);
    // without the factory, remove-adapters needs neither
    const adapters = await problems((m) => {
      delete (m as Json)['factory'];
      delete m.canonical['contextType'];
      delete m.canonical['factory'];
      m['phases'] = ['discover', 'rewrite-imports', 'remove-adapters'];
    });
    expect(adapters).toEqual([]);
  }, 60_000);
});

describe('the commands run the check', () => {
  test('check (the ratchet) and discover refuse a manifest that does not match the code, naming the field', async () => {
    const { checkRatchet } = await import('../../scripts/runner/index.js');
    const { spawnSync } = await import('node:child_process');
    const m = goodManifest() as { factory: { entries: Json[] } };
    m.factory.entries[0] = { module: 'src/ws/factory', call: 'WebSocketManagerFactory.getInstanse' };
    const broken = makeCheckRepo(m);
    try {
      const expected = 'factory.entries[0].call: "getInstanse" is not a static method of WebSocketManagerFactory (did you mean "getInstance"?)';
      await expect(checkRatchet(broken)).rejects.toThrow(expected);
      // the built CLI (dist/, as an installed package runs it), not the checkout's bin (the sources through tsx: ~1 CPU-s more)
      const d = spawnSync(process.execPath, [BUILT_CLI, 'discover', '--repo', broken], { encoding: 'utf8' });
      expect(d.status).not.toBe(0);
      expect(d.stderr).toContain(expected);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  }, 120_000);

  test('a move: its module must exist and declare the name (an already moved one passes, also when its target re-exports it)', async () => {
    const out = await problems((m) => {
      m['moves'] = [
        { from: 'src/ws/factory', name: 'arrowFactory', to: 'src/ws/arrow' },
        { from: 'src/ws/factroy', name: 'arrowFactory', to: 'src/ws/arrow2' },
        { from: 'src/ws/factory', name: 'arowFactory', to: 'src/ws/arrow3' },
        { from: 'src/ws/manager', name: 'Base', to: 'src/ws/base' },
        // moved, then consolidate-types made the target re-export it from the type's canonical module
        { from: 'src/ws/factory', name: 'Hub', to: 'src/ws/index' },
      ];
    });
    expect(out).toEqual([
      'moves[1].from: module "src/ws/factroy" does not exist in the repo (did you mean "src/ws/factory"?); modules are repo-relative paths without extension',
      'moves[2].name: src/ws/factory declares no top-level "arowFactory" (did you mean "arrowFactory"?)',
    ]);
  }, 60_000);

  test('a move may name what its module only passes through from another module (`export { X } from`), which moves as that re-export', async () => {
    const m = goodManifest() as Json & { moves?: Json[] };
    m['moves'] = [
      { from: 'src/ws/pass', name: 'EventEmitter', to: 'src/ws/events' },
      { from: 'src/ws/pass', name: 'Emitter', to: 'src/ws/events' },
      { from: 'src/ws/pass', name: 'once', to: 'src/ws/events' },
    ];
    const dir = makeCheckRepo(m, { 'src/ws/pass.ts': "export { EventEmitter, EventEmitter as Emitter } from 'node:events';\n" });
    try {
      const snapshot = await RepoSnapshot.open(dir);
      let issues: string[] = [];
      try {
        snapshot.checkManifest({});
      } catch (err) {
        if (!(err instanceof ManifestError)) throw err;
        issues = err.issues.map((i) => `${i.path}: ${i.message}`);
      }
      expect(issues).toEqual(['moves[2].name: src/ws/pass declares no top-level "once"']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
