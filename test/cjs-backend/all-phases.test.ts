/**
 * A CommonJS JavaScript backend (no "type": "module", require / module.exports, no types, no
 * tsconfig): a legacy module exporting one instance of its manager class
 * (`module.exports = new WsManager()`), a legacy module of `exports.f = function …` helpers over
 * it, and consumers that `require()` them — the instance whole, a helper destructured with a
 * rename. `init` drafts the manifest from the .js files (the class with its used members, the
 * helper as a free function); strangle writes CommonJS facades that route the instance and the
 * helper through the shim (the app's loopback test passes in canonical, legacy and shadow mode
 * and fails in strict mode at the strangle commit); remove-adapters rewrites the calls with the
 * canonical names loaded by require(); remove-shim deletes the modules, and the app's own test
 * runs on real loopback sockets against canonical. Every phase is verified by
 * `tsc --allowJs --checkJs` and that test.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftManifest } from '../../codemods/init/index.js';
import { readRepoFiles } from '../../scripts/commands/init.js';
import { git, initAndCommit, writeFiles } from '../helpers/git-repo.js';
import { expectEveryPhaseCommitted, migrateEveryPhase, type PhasedMigration } from '../helpers/phased-migration.js';

const TOOLKIT = path.resolve(import.meta.dirname, '../..');
const TSC = path.join(TOOLKIT, 'node_modules/typescript/bin/tsc');

const FILES: Record<string, string> = {
  'package.json': `${JSON.stringify({ name: 'cjs-backend', version: '1.0.0', private: true }, null, 2)}\n`,
  '.gitignore': `node_modules/
`,
  'src/ws/manager.js': `'use strict';
// One process-wide registry of sockets, keyed by user.
class WsManager {
  constructor() {
    this.sockets = new Map(); // userId -> Set<socket>
  }

  register(userId, socket) {
    if (!this.sockets.has(userId)) this.sockets.set(userId, new Set());
    this.sockets.get(userId).add(socket);
  }

  unregister(userId, socket) {
    const set = this.sockets.get(userId);
    if (!set) return;
    set.delete(socket);
    if (set.size === 0) this.sockets.delete(userId);
  }

  isOnline(userId) {
    return this.sockets.has(userId);
  }

  sendToUser(userId, event, data) {
    const frame = JSON.stringify({ event, data });
    for (const socket of this.sockets.get(userId) || []) socket.send(frame);
  }
}

module.exports = new WsManager();
`,
  'src/ws/notify.js': `'use strict';
const wsManager = require('./manager');

exports.notifyUser = function (userId, message) {
  wsManager.sendToUser(userId, 'notification', { message });
};

exports.notifyMany = function (userIds, message) {
  userIds.forEach((id) => exports.notifyUser(id, message));
};
`,
  'src/routes/chat.js': `'use strict';
const wsManager = require('../ws/manager');
const { notifyUser: notify } = require('../ws/notify');

function postMessage(fromUser, toUser, text) {
  if (!wsManager.isOnline(toUser)) return false;
  wsManager.sendToUser(toUser, 'chat', { from: fromUser, text });
  notify(fromUser, 'delivered');
  return true;
}

module.exports = { postMessage };
`,
  'src/server.js': `'use strict';
const { WebSocketServer } = require('ws');
const wsManager = require('./ws/manager');

function start(port) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  wss.on('connection', (socket, req) => {
    const userId = new URL(req.url, 'http://x').searchParams.get('user');
    wsManager.register(userId, socket);
    socket.on('close', () => wsManager.unregister(userId, socket));
  });
  return wss;
}

module.exports = { start };
`,
  'test/smoke.js': `'use strict';
// Two users on real loopback sockets: a chat message reaches exactly its recipient, the sender gets the receipt.
const { WebSocket } = require('ws');
const { start } = require('../src/server');
const { postMessage } = require('../src/routes/chat');

const wss = start(0);
wss.on('listening', async () => {
  const { port } = /** @type {import('node:net').AddressInfo} */ (wss.address());
  const open = (user) => new Promise((resolve) => {
    const ws = new WebSocket(\`ws://127.0.0.1:\${port}/?user=\${user}\`);
    const frames = [];
    ws.on('message', (d) => frames.push(JSON.parse(String(d))));
    ws.on('open', () => resolve({ ws, frames }));
  });
  const alice = await open('alice');
  const bob = await open('bob');
  await new Promise((r) => setTimeout(r, 50));
  const sent = postMessage('alice', 'bob', 'hi');
  const offline = postMessage('alice', 'carol', 'hello?');
  await new Promise((r) => setTimeout(r, 100));
  alice.ws.close(); bob.ws.close(); wss.close();
  const ok = sent === true && offline === false
    && JSON.stringify(bob.frames) === JSON.stringify([{ event: 'chat', data: { from: 'alice', text: 'hi' } }])
    && JSON.stringify(alice.frames) === JSON.stringify([{ event: 'notification', data: { message: 'delivered' } }]);
  if (!ok) { console.error('unexpected', JSON.stringify({ sent, offline, alice: alice.frames, bob: bob.frames })); process.exit(1); }
  console.log('ok');
  process.exit(0);
});
`,
};

/** The person's decisions on init's draft: each used member and the helper become hub operations in the legacy wire format. */
function decide(draft: Record<string, unknown>): Record<string, unknown> {
  const m = structuredClone(draft) as {
    canonical: { exports: string[] };
    classes: Array<{ members: Record<string, string> }>;
    functions: Array<{ templates: Record<string, string> }>;
    verify: Record<string, string>;
  };
  m.canonical.exports = [...new Set([...m.canonical.exports, 'hubOperations'])];
  m.classes[0]!.members = {
    register: '$hub.connect(String($1), $2)',
    unregister: "$hub.disconnect($hub.hub.getConnectionIdBySocket($2) ?? '')",
    isOnline: '$hub.isOnline(String($1))',
    sendToUser: '$hub.sendToUser(String($1), { event: $2, data: $3 })',
  };
  m.functions[0]!.templates = { notifyUser: "$hub.sendToUser(String($1), { event: 'notification', data: { message: $2 } })" };
  m.verify = { typecheck: `node ${JSON.stringify(TSC)} --allowJs --checkJs --noEmit --skipLibCheck --module nodenext --target es2022 --types node src/*.js src/*/*.js test/*.js`, test: 'node test/smoke.js' };
  return m;
}

let repo = '';
let atStrangle = '';
let draft: ReturnType<typeof draftManifest> | undefined;
let m: PhasedMigration;

function linkModules(dir: string): void {
  mkdirSync(path.join(dir, 'node_modules/@types'), { recursive: true });
  symlinkSync(TOOLKIT, path.join(dir, 'node_modules/ssot-migrate'));
  symlinkSync(path.join(TOOLKIT, 'node_modules/ws'), path.join(dir, 'node_modules/ws'));
  for (const t of ['node', 'ws']) symlinkSync(path.join(TOOLKIT, 'node_modules/@types', t), path.join(dir, 'node_modules/@types', t));
}

/** The app's loopback test in one shim mode (every id), at the checkout in `dir`. */
function smoke(dir: string, mode: string): { status: number | null; out: string } {
  const r = spawnSync('node', ['test/smoke.js'], { cwd: dir, encoding: 'utf8', timeout: 30_000, env: { ...process.env, SSOT_SHIM: `*=${mode}`, SSOT_SHIM_TELEMETRY: path.join(dir, '.ssot/telemetry/smoke.jsonl') } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

beforeAll(async () => {
  repo = mkdtempSync(path.join(tmpdir(), 'cjs-backend-'));
  writeFiles(repo, FILES);
  linkModules(repo);
  draft = draftManifest({ repoDir: repo, files: readRepoFiles(repo), canonicalEntry: path.join(TOOLKIT, 'canonical/index.ts'), legacy: ['src/ws/manager.js', 'src/ws/notify.js'] });
  writeFiles(repo, { 'ssot.config.json': `${JSON.stringify(decide(draft.manifest as unknown as Record<string, unknown>), null, 2)}\n` });
  initAndCommit(repo);
  m = await migrateEveryPhase(repo, { withoutTelemetry: 'a generated CommonJS test backend', facadeFile: 'src/ws/manager.js' });
  // the strangle commit, checked out beside the repo, for the app's test in each shim mode
  const sha = git(repo, 'log', '--format=%H', '--grep', '^ssot(strangle)').trim();
  atStrangle = mkdtempSync(path.join(tmpdir(), 'cjs-backend-strangled-'));
  execFileSync('git', ['clone', '-q', repo, atStrangle]);
  execFileSync('git', ['checkout', '-q', sha], { cwd: atStrangle });
  linkModules(atStrangle);
}, 900_000);

afterAll(() => {
  if (process.env['SSOT_KEEP_E2E'] === '1') return;
  for (const d of [repo, atStrangle]) if (d) rmSync(d, { recursive: true, force: true });
});

describe('a CommonJS JavaScript backend with an exported manager instance', () => {
  it('init drafts the manifest from the CommonJS files: both legacy modules, the class with its used members, the exports.f helper as a free function', () => {
    expect(draft!.manifest.legacy.map((l) => l.module)).toEqual(['src/ws/manager', 'src/ws/notify']);
    expect(draft!.findings.classes.map((c) => c.class)).toEqual(['WsManager']);
    expect(draft!.findings.classes[0]!.members.map((u) => u.member).sort()).toEqual(['isOnline', 'register', 'sendToUser', 'unregister']);
    expect(draft!.findings.functions.map((f) => [f.module, f.functions.map((u) => u.member)])).toEqual([['src/ws/notify', ['notifyUser']]]);
  });

  it('strangle writes CommonJS facades: the instance and the helper routed by the shim, the bodies frozen beside them', () => {
    expect(m.facade).toContain("const frozen = require('./manager.legacy.js');");
    expect(m.facade).toContain("module.exports = defineLegacyInstance(spec('LEG001', 'manager (module.exports)'), frozen, { canonical: canonicalWsManager });");
    expect(m.facade).not.toMatch(/^(import|export) /m);
    expect(readFileSync(path.join(atStrangle, 'src/ws/notify.js'), 'utf8')).toContain("exports.notifyUser = defineLegacyFreeFunction(spec('LEG002', 'notifyUser'), frozen.notifyUser, {");
    expect(readFileSync(path.join(atStrangle, 'src/ws/notify.legacy.js'), 'utf8')).toBe(FILES['src/ws/notify.js']!.replace("require('./manager')", "require('./manager.legacy')"));
  });

  it('at the strangle commit the app works in canonical, legacy and shadow mode, and strict mode names the instance id at its first use', () => {
    for (const mode of ['canonical', 'legacy', 'shadow']) {
      const r = smoke(atStrangle, mode);
      expect(r.status, `${mode}: ${r.out}`).toBe(0);
      expect(r.out, mode).toContain('ok');
    }
    const strict = smoke(atStrangle, 'strict');
    expect(strict.status).not.toBe(0);
    expect(strict.out).toMatch(/LEG001/);
    expect(strict.out).toContain('src/server.js');
    // canonical mode served from the hub: the telemetry of the canonical run counts the instance's callers by file:line
    const tel = readFileSync(path.join(atStrangle, '.ssot/telemetry/smoke.jsonl'), 'utf8');
    expect(tel).toMatch(/"id":"LEG001","symbol":"manager \(module.exports\)","mode":"canonical"/);
    expect(tel).toMatch(/"id":"LEG002","symbol":"notifyUser","mode":"canonical"/);
  });

  it('commits every phase, each verified by checkJs and the loopback test, and ends at 100% with both modules deleted', () => {
    expectEveryPhaseCommitted(m, /typecheck 0->0 errors; tests pass -> pass/);
    expect(m.shim?.compliance?.after).toBe(100);
    for (const f of ['src/ws/manager.js', 'src/ws/manager.legacy.js', 'src/ws/notify.js', 'src/ws/notify.legacy.js']) expect(existsSync(path.join(repo, f)), f).toBe(false);
    expect(execFileSync('node', ['test/smoke.js'], { cwd: repo, encoding: 'utf8' })).toContain('ok');
  });

  it('the consumers stay CommonJS: the canonical names loaded with require(), the legacy requires gone', () => {
    for (const f of ['src/routes/chat.js', 'src/server.js']) {
      const text = readFileSync(path.join(repo, f), 'utf8');
      expect(text, f).toContain("const { hubOperations } = require('ssot-migrate/canonical');");
      expect(text, f).not.toMatch(/^import /m);
      expect(text, f).not.toContain("require('./ws/");
      expect(text, f).not.toContain("require('../ws/");
    }
    expect(readFileSync(path.join(repo, 'src/routes/chat.js'), 'utf8')).toContain("hubOperations().sendToUser(String(fromUser), { event: 'notification', data: { message: 'delivered' } });");
  });
});
