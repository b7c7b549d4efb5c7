/**
 * A CommonJS JavaScript backend whose socket manager is an object literal written straight into
 * `module.exports` (no class, no const: `module.exports = { register(userId, socket) {…}, … }` over a
 * module-level Map — the plain-JS Express shape), in a real git repo, taken through every phase with
 * only the person's templates added to init's draft. init drafts the object as classes[] `"class":
 * "default"`; strangle writes `module.exports = defineLegacyObject(…, frozen, …)` and, at its commit,
 * the app's loopback test passes in canonical, legacy and shadow mode and fails in strict mode naming
 * the id; remove-adapters rewrites the calls on the object loaded whole and on a member destructured
 * from the require with a rename; remove-shim deletes the module, and the app's own test runs on real
 * loopback sockets against canonical. Every phase is verified by `tsc --allowJs --checkJs` and that test.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../helpers/git-repo.js';
import { CJS_CHAT_MEMBERS, CJS_CHAT_SERVER, CJS_CHAT_SMOKE, checkJsVerify, migrateDraftedBackend, removeDraftedBackend, smokeInMode, type DraftedBackend } from '../helpers/js-backend.js';
import { expectEveryPhaseCommitted, type PhasedMigration } from '../helpers/phased-migration.js';
import { unhoisted } from '../helpers/hub-hoist.js';

const FILES: Record<string, string> = {
  'package.json': `${JSON.stringify({ name: 'cjs-object-backend', version: '1.0.0', private: true }, null, 2)}\n`,
  '.gitignore': `node_modules/
`,
  'src/ws/manager.js': `'use strict';
// One process-wide registry of sockets, keyed by user: the whole "manager" is this Map and the object below.
const sockets = new Map(); // userId -> Set<socket>

module.exports = {
  register(userId, socket) {
    if (!sockets.has(userId)) sockets.set(userId, new Set());
    sockets.get(userId).add(socket);
  },

  unregister(userId, socket) {
    const set = sockets.get(userId);
    if (!set) return;
    set.delete(socket);
    if (set.size === 0) sockets.delete(userId);
  },

  isOnline(userId) {
    return sockets.has(userId);
  },

  sendToUser(userId, event, data) {
    const frame = JSON.stringify({ event, data });
    for (const socket of sockets.get(userId) || []) socket.send(frame);
  },
};
`,
  'src/routes/chat.js': `'use strict';
const wsManager = require('../ws/manager');
const { sendToUser: send } = require('../ws/manager');

function postMessage(fromUser, toUser, text) {
  if (!wsManager.isOnline(toUser)) return false;
  wsManager.sendToUser(toUser, 'chat', { from: fromUser, text });
  send(fromUser, 'notification', { message: 'delivered' });
  return true;
}

module.exports = { postMessage };
`,
  'src/server.js': CJS_CHAT_SERVER,
  'test/smoke.js': CJS_CHAT_SMOKE,
};

/** The person's decisions on init's draft: each member of the object becomes a hub operation in the legacy wire format. */
function decide(draft: Record<string, unknown>): Record<string, unknown> {
  const m = structuredClone(draft) as { canonical: { exports: string[] }; classes: Array<{ members: Record<string, string> }>; verify: Record<string, string> };
  m.canonical.exports = [...new Set([...m.canonical.exports, 'hubOperations'])];
  m.classes[0]!.members = { ...CJS_CHAT_MEMBERS };
  m.verify = checkJsVerify('src/*.js src/*/*.js test/*.js');
  return m;
}

let repo = '';
let atStrangle = '';
let draft: DraftedBackend['draft'] | undefined;
let m: PhasedMigration;

beforeAll(async () => {
  ({ repo, atStrangle, draft, m } = await migrateDraftedBackend({ name: 'cjs-object-backend', files: FILES, legacy: ['src/ws/manager.js'], decide, facadeFile: 'src/ws/manager.js', withoutTelemetry: 'a generated CommonJS test backend', atStrangle: true }));
}, 900_000);

afterAll(() => removeDraftedBackend(repo, atStrangle));

describe('a CommonJS JavaScript backend whose manager is `module.exports = { … }` (an object manager, classes[] "class": "default")', () => {
  it('init drafts the object as classes[] "class": "default", its members used through require() counted', () => {
    expect(draft!.manifest.legacy.map((l) => l.module)).toEqual(['src/ws/manager']);
    expect(draft!.manifest.classes.map((c) => [c.module, c.class])).toEqual([['src/ws/manager', 'default']]);
    expect(draft!.findings.classes[0]!.object).toBe(true);
    expect(draft!.findings.classes[0]!.members.map((u) => u.member).sort()).toEqual(['isOnline', 'register', 'sendToUser', 'unregister']);
  });

  it('strangle routes the object member by member over the frozen module (CommonJS facade)', () => {
    expect(m.facade).toContain("const frozen = require('./manager.legacy.js');");
    expect(m.facade).toContain("module.exports = defineLegacyObject(spec('LEG001', 'manager (module.exports)'), frozen, { canonical: canonicalDefault });");
    expect(m.facade).not.toMatch(/^(import|export) /m);
    expect(readFileSync(path.join(atStrangle, 'src/ws/manager.legacy.js'), 'utf8')).toBe(FILES['src/ws/manager.js']);
    expect(m.byPhase('strangle').needsReview ?? []).toEqual([]);
  });

  it('at the strangle commit the app works in canonical, legacy and shadow mode over real loopback sockets, and strict mode names the id at its first use', () => {
    for (const mode of ['canonical', 'legacy', 'shadow']) {
      const r = smokeInMode(atStrangle, mode);
      expect(r.status, `${mode}: ${r.out}`).toBe(0);
      expect(r.out, mode).toContain('ok');
    }
    const strict = smokeInMode(atStrangle, 'strict');
    expect(strict.status).not.toBe(0);
    expect(strict.out).toMatch(/LEG001/);
    expect(strict.out).toContain('src/server.js');
    // telemetry per member and mode: the destructured member too
    for (const mode of ['canonical', 'legacy', 'shadow']) {
      const tel = readFileSync(path.join(atStrangle, `.ssot/telemetry/${mode}.jsonl`), 'utf8');
      for (const member of ['register', 'isOnline', 'sendToUser']) expect(tel, `${mode} ${member}`).toContain(`"id":"LEG001","symbol":"manager (module.exports).${member}","mode":"${mode}"`);
    }
  });

  it('commits every phase, each verified by checkJs and the loopback test, and ends at 100% with the module deleted', () => {
    expectEveryPhaseCommitted(m, /typecheck 0->0 errors; tests pass -> pass/);
    expect(m.byPhase('remove-adapters').needsReview ?? []).toEqual([]);
    expect(m.shim?.compliance?.after ?? m.byPhase('remove-shim').compliance?.after).toBe(100);
    for (const f of ['src/ws/manager.js', 'src/ws/manager.legacy.js']) expect(existsSync(path.join(repo, f)), f).toBe(false);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(execFileSync('node', ['test/smoke.js'], { cwd: repo, encoding: 'utf8' })).toContain('ok');
  });

  it('the consumers stay CommonJS: the whole-loaded calls and the destructured member become their templates, the legacy requires gone', () => {
    const chat = unhoisted(readFileSync(path.join(repo, 'src/routes/chat.js'), 'utf8'));
    expect(chat).toContain("hubOperations().sendToUser(String(toUser), { event: 'chat', data: { from: fromUser, text } });");
    expect(chat).toContain("hubOperations().sendToUser(String(fromUser), { event: 'notification', data: { message: 'delivered' } });");
    for (const f of ['src/routes/chat.js', 'src/server.js']) {
      const text = readFileSync(path.join(repo, f), 'utf8');
      expect(text, f).toContain("const { hubOperations } = require('ssot-migrate/canonical');");
      expect(text, f).not.toMatch(/^import /m);
      expect(text, f).not.toMatch(/require\('\.\.?\/ws\//);
    }
  });
});
