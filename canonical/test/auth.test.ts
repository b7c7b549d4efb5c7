import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { collect, ORIGIN, runFiveEvents, SECRET, startFixture } from './helpers.js';
import type { Fixture } from './helpers.js';
import { ClientConnectError, connectClient, mintToken, SUBPROTOCOL } from '../index.js';

let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

interface Outcome {
  status?: number;
  closeCode?: number;
  body?: string;
  opened: boolean;
}

/** Raw upgrade attempt: reports the HTTP refusal (status + body) or the close code after opening. */
function attempt(url: string, protocols: string[], headers: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocols, { headers });
    let opened = false;
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        ws.terminate();
        resolve({ status: res.statusCode, body, opened });
      });
    });
    let timer: NodeJS.Timeout | undefined;
    ws.on('open', () => {
      opened = true;
      // An accepted socket stays open: report it as accepted unless the server closes it soon.
      timer = setTimeout(() => {
        resolve({ opened });
        ws.terminate();
      }, 300);
    });
    ws.on('error', () => undefined);
    ws.on('close', (code) => {
      clearTimeout(timer);
      resolve({ closeCode: code, opened });
    });
  });
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

describe('authentication at the upgrade', () => {
  it('refuses bad tokens with 401 (close code 4401), bad Origin with 403 (4403), and delivers nothing to anyone else', async () => {
    const details: string[] = [];
    fx = await startFixture({ onRefusal: (r) => details.push(r.detail) });
    const legit = await fx.connect('alice');
    const inbox = collect(legit);
    const other = new TextEncoder().encode('a-different-secret-nobody-should-trust-000');
    const claims = { sub: 'mallory', iss: 'https://auth.ssot.test', aud: 'ssot-ws', iat: now(), exp: now() + 600 };
    const cases: [string, string, number, RegExp][] = [
      ['expired', await fx.token('mallory', { issuedAt: now() - 600, expiresIn: now() - 60 }), 401, /expired/],
      ['forged (wrong key)', await mintToken({ userId: 'mallory', key: other, issuer: 'https://auth.ssot.test', audience: 'ssot-ws' }), 401, /signature/],
      ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`, 401, /algorithm|malformed/],
      ['wrong audience', await fx.token('mallory', { audience: 'another-service' }), 401, /"aud"/],
      ['wrong issuer', await fx.token('mallory', { issuer: 'https://evil.example' }), 401, /"iss"/],
      ['too old (maxTokenAge)', await fx.token('mallory', { issuedAt: now() - 7200, expiresIn: now() + 600 }), 401, /"iat"/],
      ['placeholder sub', await fx.token('test'), 401, /placeholder/],
      ['garbage', 'not-a-jwt', 401, /malformed/],
    ];
    for (const [name, token, status, reason] of cases) {
      const out = await attempt(fx.url, [SUBPROTOCOL, `bearer.${token}`]);
      expect(out.status, name).toBe(status);
      expect(out.opened, name).toBe(false);
      const body = JSON.parse(out.body!) as { error: string; closeCode: number };
      expect(body.closeCode, name).toBe(4401);
      // The client hears only "unauthorized": naming the failed claim would tell it the signature was fine.
      expect(body.error, name).toBe('unauthorized');
      expect(details.at(-1), name).toMatch(reason); // the server's log has the detail
    }
    const good = await fx.token('mallory');
    const badOrigin = await attempt(fx.url, [SUBPROTOCOL, `bearer.${good}`], { Origin: 'https://evil.example' });
    expect(badOrigin.status).toBe(403);
    expect(JSON.parse(badOrigin.body!)).toEqual({ error: 'forbidden', closeCode: 4403 });
    expect(details.at(-1)).toMatch(/evil\.example/);
    const goodOrigin = await attempt(fx.url, [SUBPROTOCOL, `bearer.${good}`], { Origin: ORIGIN });
    expect(goodOrigin.opened).toBe(true);
    const noToken = await attempt(fx.url, [SUBPROTOCOL]);
    expect(noToken.status).toBe(401);
    const noProtocol = await attempt(fx.url, [`bearer.${good}`]);
    expect(noProtocol.status).toBe(400);
    const wrongUser = await attempt(`${fx.url}?userId=alice`, [SUBPROTOCOL, `bearer.${good}`]);
    expect(wrongUser.status).toBe(403);

    // Only alice (and the one accepted mallory socket, now closed) ever registered; alice's run reaches only her.
    expect(fx.server.hub.getUserConnections('mallory').size).toBe(0);
    await runFiveEvents(fx.manager('alice', 'run-after-refusals'));
    const events = await inbox.until(5);
    expect(events.every((e) => e.userId === 'alice')).toBe(true);
    expect(fx.server.hub.stats()).toMatchObject({ connections: 1, users: 1 });
  });

  it('the client surfaces refusals with the documented code', async () => {
    fx = await startFixture();
    const expired = await fx.token('nina', { issuedAt: now() - 600, expiresIn: now() - 60 });
    const err = await connectClient({ url: fx.url, token: expired, WebSocket: WebSocket as never, heartbeatIntervalMs: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientConnectError);
    expect((err as ClientConnectError).closeCode).toBe(4401);
    expect((err as ClientConnectError).httpStatus).toBe(401);
  });

  it("authFailure 'close' completes the handshake and closes with 4401 / 4403 so browsers can read the code", async () => {
    fx = await startFixture({ authFailure: 'close' });
    const forged = await mintToken({ userId: 'oscar', key: new TextEncoder().encode('x'.repeat(40)), issuer: 'https://auth.ssot.test', audience: 'ssot-ws' });
    const out = await attempt(fx.url, [SUBPROTOCOL, `bearer.${forged}`]);
    expect(out).toMatchObject({ opened: true, closeCode: 4401 });
    const err = await connectClient({ url: fx.url, token: forged, WebSocket: WebSocket as never, heartbeatIntervalMs: 0 }).catch((e: unknown) => e);
    expect((err as ClientConnectError).closeCode).toBe(4401);
    const origin = await attempt(fx.url, [SUBPROTOCOL, `bearer.${await fx.token('oscar')}`], { Origin: 'https://evil.example' });
    expect(origin).toMatchObject({ opened: true, closeCode: 4403 });
    expect(fx.server.hub.stats().connections).toBe(0);
  });

  it('closes a connection with 4401 when its token expires', async () => {
    fx = await startFixture();
    const token = await mintToken({ userId: 'paula', key: SECRET, issuer: 'https://auth.ssot.test', audience: 'ssot-ws', expiresIn: now() + 2 });
    const client = await connectClient({ url: fx.url, token, WebSocket: WebSocket as never, heartbeatIntervalMs: 0 });
    fx.clients.push(client);
    const closed = await new Promise<{ code: number; willReconnect: boolean }>((r) => client.on('disconnected', r));
    expect(closed.code).toBe(4401);
    expect(closed.willReconnect).toBe(false); // no getToken: a fresh token is needed first
  });

  it('a token never comes back in the handshake response', async () => {
    fx = await startFixture();
    const token = await fx.token('quinn');
    const selected = await new Promise<string | undefined>((resolve, reject) => {
      const ws = new WebSocket(fx!.url, [SUBPROTOCOL, `bearer.${token}`]);
      ws.on('upgrade', (res) => {
        resolve(res.headers['sec-websocket-protocol'] as string | undefined);
        ws.terminate();
      });
      ws.on('error', reject);
    });
    expect(selected).toBe(SUBPROTOCOL);
  });
});
