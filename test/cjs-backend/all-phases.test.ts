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
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CJS_CHAT_MEMBERS, CJS_CHAT_SERVER, CJS_CHAT_SMOKE, checkJsVerify, migrateDraftedBackend, removeDraftedBackend, smokeInMode, type DraftedBackend } from '../helpers/js-backend.js';
import { expectEveryPhaseCommitted, type PhasedMigration } from '../helpers/phased-migration.js';
import { unhoisted } from '../helpers/hub-hoist.js';

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
  'src/server.js': CJS_CHAT_SERVER,
  'test/smoke.js': CJS_CHAT_SMOKE,
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
  m.classes[0]!.members = { ...CJS_CHAT_MEMBERS };
  m.functions[0]!.templates = { notifyUser: "$hub.sendToUser(String($1), { event: 'notification', data: { message: $2 } })" };
  m.verify = checkJsVerify('src/*.js src/*/*.js test/*.js');
  return m;
}

let repo = '';
let atStrangle = '';
let draft: DraftedBackend['draft'] | undefined;
let m: PhasedMigration;

beforeAll(async () => {
  ({ repo, atStrangle, draft, m } = await migrateDraftedBackend({ name: 'cjs-backend', files: FILES, legacy: ['src/ws/manager.js', 'src/ws/notify.js'], decide, facadeFile: 'src/ws/manager.js', withoutTelemetry: 'a generated CommonJS test backend', atStrangle: true }));
}, 900_000);

afterAll(() => removeDraftedBackend(repo, atStrangle));

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
      const r = smokeInMode(atStrangle, mode, 'smoke');
      expect(r.status, `${mode}: ${r.out}`).toBe(0);
      expect(r.out, mode).toContain('ok');
    }
    const strict = smokeInMode(atStrangle, 'strict', 'smoke');
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
    expect(unhoisted(readFileSync(path.join(repo, 'src/routes/chat.js'), 'utf8'))).toContain("hubOperations().sendToUser(String(fromUser), { event: 'notification', data: { message: 'delivered' } });");
  });
});
