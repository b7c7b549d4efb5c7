/**
 * What init drafts for an untyped id (plain JavaScript) run against the canonical hub, through the
 * function the shim generates from a template (memberTemplateToFunction), with real sockets on
 * loopback. The old draft, `String($1)`, turned a missing id into the user "undefined": an app
 * socket registered without an id (a failed lookup) was then sent everything addressed to a
 * missing id. The draft keeps undefined / null as they are, which the hub refuses
 * (InvalidContextError, field userId) or finds nobody for, while a numeric id still reaches the
 * user of its string.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createConnectionHub, hubOperations, InvalidContextError } from '../../canonical/index.js';
import type { HubOperations } from '../../canonical/index.js';
import { memberTemplateToFunction } from '../../manifest/index.js';
import { draftManifest } from './index.js';

const canonicalEntry = path.join(path.resolve(import.meta.dirname, '../..'), 'canonical/index.ts');

// a plain-JavaScript connection registry over a Map keyed by whatever the app passes
const registry = `const byUser = new Map();
function connect(userId, ws) { byUser.set(userId, ws); }
function sendToUser(userId, message) { const ws = byUser.get(userId); if (ws) ws.send(JSON.stringify(message)); return ws ? 1 : 0; }
function isOnline(userId) { return byUser.has(userId); }
module.exports = { connect, sendToUser, isOnline };
`;
const app = `const { connect, sendToUser, isOnline } = require('./registry');
exports.onSocket = (user, ws) => connect(user.id, ws);
exports.notify = (user, m) => (isOnline(user.id) ? sendToUser(user.id, m) : 0);
`;

type Member = (self: { hub: HubOperations }, ...args: unknown[]) => unknown;
/** A template as the shim's canonical-mode function (the same text strangle writes into a facade). */
const compiled = (template: string): Member => new Function(`return ${memberTemplateToFunction(template, 'method')}`)() as Member;

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A hub and a `ws` server on 127.0.0.1: each connecting client's server-side socket, and what the client receives. */
async function loopback() {
  const hub = createConnectionHub();
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  closers.push(async () => {
    await new Promise<void>((r) => wss.close(() => r()));
    await hub.close();
  });
  const client = async () => {
    const accepted = once(wss, 'connection') as Promise<[WebSocket]>;
    const c = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
    closers.push(async () => {
      c.close();
      if (c.readyState !== WebSocket.CLOSED) await once(c, 'close');
    });
    const frames: unknown[] = [];
    c.on('message', (d) => frames.push(JSON.parse(String(d))));
    await once(c, 'open');
    const [server] = await accepted;
    return { server, frames };
  };
  return { ops: hubOperations(hub), client };
}

/** Lets frames in flight on loopback arrive. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 10));
};

describe('init: a drafted untyped-id template does not turn a missing id into a user (canonical hub, loopback sockets)', () => {
  const draft = draftManifest({ repoDir: '/virtual/missing-id', files: new Map([['package.json', JSON.stringify({ name: 'repo', scripts: { test: 'node test.js' } })], ['server/registry.js', registry], ['server/app.js', app]]), canonicalEntry, legacy: ['server/registry'] });
  const templates = draft.manifest.functions[0]!.templates;

  test('the draft keeps undefined / null as they are and strings everything else', () => {
    expect(templates).toEqual({
      connect: '$hub.connect($1 == null ? $1 : String($1), $2)',
      sendToUser: '$hub.sendToUser($1 == null ? $1 : String($1), $2)',
      isOnline: '$hub.isOnline($1 == null ? $1 : String($1))',
    });
  });

  test('the old draft (String($1)) registers a socket with no id as user "undefined" and delivers every missing-id send to it', async () => {
    const { ops, client } = await loopback();
    const anonymous = await client();
    const self = { hub: ops };
    compiled('$hub.connect(String($1), $2)')(self, undefined, anonymous.server);
    expect(ops.listConnectedUsers()).toEqual(['undefined']);
    expect(compiled('$hub.isOnline(String($1))')(self, undefined)).toBe(true);
    expect(compiled('$hub.sendToUser(String($1), $2)')(self, undefined, { type: 'secret', for: 'nobody' })).toBe(1);
    // null is another such user name
    compiled('$hub.connect(String($1), $2)')(self, null, (await client()).server);
    expect(ops.listConnectedUsers().sort()).toEqual(['null', 'undefined']);
    await settle();
    expect(anonymous.frames).toEqual([expect.objectContaining({ type: 'secret', for: 'nobody' })]);
  });

  test('the drafted template: the hub refuses a missing id (InvalidContextError naming userId), nothing is registered or delivered; a numeric id still reaches its string user', async () => {
    const { ops, client } = await loopback();
    const self = { hub: ops };
    const [connect, sendToUser, isOnline] = [compiled(templates['connect']!), compiled(templates['sendToUser']!), compiled(templates['isOnline']!)];
    const anonymous = await client();
    for (const missing of [undefined, null]) {
      const refused = (() => {
        try {
          connect(self, missing, anonymous.server);
        } catch (e) {
          return e;
        }
      })();
      expect(refused).toBeInstanceOf(InvalidContextError);
      expect(refused).toMatchObject({ code: 'ERR_INVALID_CONTEXT', field: 'userId' });
      expect(() => sendToUser(self, missing, { type: 'secret' })).toThrow(/invalid UserExecutionContext\.userId: must be a string \(got (undefined|null)\)/);
      expect(isOnline(self, missing)).toBe(false);
    }
    expect(ops.listConnectedUsers()).toEqual([]);
    // SQLite's numeric ids (swiftraccoon/signal-web) still address the user of their string
    const seven = await client();
    connect(self, 7, seven.server);
    expect(ops.listConnectedUsers()).toEqual(['7']);
    expect(isOnline(self, 7)).toBe(true);
    expect(sendToUser(self, 7, { type: 'hello' })).toBe(1);
    await settle();
    expect(seven.frames).toEqual([expect.objectContaining({ type: 'hello' })]);
    expect(anonymous.frames).toEqual([]);
  });
});
