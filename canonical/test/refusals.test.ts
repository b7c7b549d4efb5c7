// Every refusal path of the upgrade, driven with hostile values — non-ASCII, control characters,
// 8 KB — in both authFailure modes, over raw TCP so the bytes go out exactly as written. The
// server must answer each with the documented code and a generic, short, plain-ASCII reason
// (never the value, never which check failed), log the detail, and keep serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { AUDIENCE, collect, ISSUER, mintTokenFor, ORIGIN, rawUpgrade, runFiveEvents, startFixture, waitUntil } from './helpers.js';
import type { Fixture, RawUpgradeResult } from './helpers.js';
import { connectClient, MAX_CLOSE_REASON_BYTES, mintToken, SUBPROTOCOL } from '../index.js';
import { startInstance } from '../../test/helpers/server-instances.js';
import type { UpgradeRefusal } from '../index.js';

const utf8AsLatin1 = (s: string) => Buffer.from(s, 'utf8').toString('latin1'); // raw UTF-8 bytes in a header
const HOSTILE = {
  'non-ASCII (150 × é as UTF-8, the reported crash input)': utf8AsLatin1('é'.repeat(150)),
  'non-ASCII (latin1 é and emoji bytes)': 'é'.repeat(60) + utf8AsLatin1('🙂'.repeat(40)),
  '8 KB': 'x'.repeat(8192),
} as const;
// Control characters cannot travel in a header (Node answers 400 itself); they can percent-encoded in the query.
const HOSTILE_QUERY = {
  'control characters': encodeURIComponent('a\u0000b\u0001c\u001b[31m\u007f\r\nX-Injected: 1'),
  'non-ASCII': encodeURIComponent(' é'.repeat(150)),
  '8 KB': encodeURIComponent('y'.repeat(8192)),
} as const;
const GENERIC = new Set(['unauthorized', 'forbidden', 'bad request', 'not found', 'internal error']);

for (const authFailure of ['http', 'close'] as const) {
  describe(`refusals with authFailure '${authFailure}'`, () => {
    let fx: Fixture;
    const refusals: UpgradeRefusal[] = [];
    const problems: Error[] = [];
    let token: string;

    beforeAll(async () => {
      fx = await startFixture({ authFailure, onRefusal: (r) => refusals.push(r), onError: (e) => problems.push(e) });
      token = await fx.token('rhea');
    });
    afterAll(async () => {
      await fx.close();
    });

    /** The answer is a refusal with `code`, told generically, short and plain ASCII; nothing of `input` comes back. */
    function expectRefused(out: RawUpgradeResult, code: number, httpStatus: number, input: string, label: string): void {
      const printableAscii = /^[\x20-\x7e]*$/;
      if (out.status === 101) {
        // Only a handshake that offered ssot.v1 is completed just to be closed with the code.
        expect(authFailure, label).toBe('close');
        expect(out.closeCode, label).toBe(code);
        expect(GENERIC.has(out.closeReason!), `${label}: reason "${out.closeReason}"`).toBe(true);
        expect(out.closeReasonBytes!, label).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
      } else {
        expect(out.status, label).toBe(httpStatus);
        expect(out.head, label).toMatch(/^HTTP\/1\.1 \d{3} /);
        expect(out.head.replace(/\r\n/g, ''), label).toMatch(printableAscii);
        const body = JSON.parse(out.body) as { error: string; closeCode: number };
        expect(body.closeCode, label).toBe(code);
        expect(GENERIC.has(body.error), `${label}: body "${out.body}"`).toBe(true);
        expect(Buffer.byteLength(out.body), label).toBeLessThan(300);
        expect(out.body, label).toMatch(printableAscii);
      }
      // Nothing of the hostile value is echoed, in any form.
      const probe = input.slice(0, 12);
      for (const text of [out.head, out.body, out.closeReason ?? '']) {
        expect(text.includes(probe), `${label}: echoed`).toBe(false);
        expect(text.includes(Buffer.from(probe, 'latin1').toString('utf8')), `${label}: echoed`).toBe(false);
      }
    }

    for (const [name, value] of Object.entries(HOSTILE)) {
      it(`Origin ${name} → 4403`, async () => {
        const out = await rawUpgrade(fx.url, { protocols: [SUBPROTOCOL, `bearer.${token}`], headers: { Origin: value } });
        expectRefused(out, 4403, 403, value, name);
        const logged = refusals.at(-1)!;
        expect(logged).toMatchObject({ closeCode: 4403, reason: 'forbidden' });
        expect(logged.detail).toMatch(/^origin "/); // the detail, escaped and cut, goes to the log
        expect(logged.detail).toMatch(/^[\x20-\x7e]*$/);
        expect(logged.detail.length).toBeLessThanOrEqual(512);
      });

      it(`bearer token ${name} → 4401`, async () => {
        const out = await rawUpgrade(fx.url, { protocols: [SUBPROTOCOL, `bearer.${value}`] });
        // ws itself may refuse a protocol header it cannot parse before our check; both are refusals.
        if (out.status === 400) expect(out.body.includes(value.slice(0, 12))).toBe(false);
        else expectRefused(out, 4401, 401, value, name);
      });

      it(`subprotocol list without ssot.v1 (${name}) → 4400`, async () => {
        const out = await rawUpgrade(fx.url, { protocols: [`x${value}`] });
        expect(out.status).toBe(400);
        expect(out.body.includes(value.slice(0, 12))).toBe(false);
      });

      it(`path ${name} → 404 (or 400)`, async () => {
        const out = await rawUpgrade(fx.url, { path: `/${value}`, protocols: [SUBPROTOCOL, `bearer.${token}`] });
        // Node's HTTP parser answers 400 itself to raw non-ASCII in the request line; otherwise ours: 404.
        expect([400, 404]).toContain(out.status);
        expect(out.body.includes(value.slice(0, 12))).toBe(false);
      });
    }

    for (const [name, value] of Object.entries(HOSTILE_QUERY)) {
      it(`userId query parameter ${name} that differs from the token → 4403`, async () => {
        const out = await rawUpgrade(`${fx.url}?userId=${value}`, { protocols: [SUBPROTOCOL, `bearer.${token}`] });
        expectRefused(out, 4403, 403, decodeURIComponent(value), name);
      });

      it(`threadId query parameter ${name} → 4400`, async () => {
        const out = await rawUpgrade(`${fx.url}?threadId=${value}`, { protocols: [SUBPROTOCOL, `bearer.${token}`] });
        expectRefused(out, 4400, 400, decodeURIComponent(value), name);
      });

      it(`a repeated query parameter (${name}) → 4400, whichever value comes first`, async () => {
        for (const query of [`userId=rhea&userId=${value}`, `userId=${value}&userId=rhea`, `threadId=t1&threadId=t1`]) {
          const out = await rawUpgrade(`${fx.url}?${query}`, { protocols: [SUBPROTOCOL, `bearer.${token}`] });
          expectRefused(out, 4400, 400, decodeURIComponent(value), `${name}: ${query.slice(0, 20)}`);
        }
      });
    }

    it('a token whose sub is 8 KB or non-ASCII → 4401, and which claim failed is logged, not told', async () => {
      for (const sub of ['s'.repeat(8192), ' é'.repeat(200)]) {
        const bad = await mintTokenFor(sub);
        const out = await rawUpgrade(fx.url, { protocols: [SUBPROTOCOL, `bearer.${bad}`] });
        expectRefused(out, 4401, 401, sub, 'sub');
        expect(refusals.at(-1)!.detail).toMatch(/"sub"/);
      }
    });

    it('after all of that the server still serves: a legit client gets its five events; nothing was an internal error', async () => {
      const client = await fx.connect('rhea');
      const inbox = collect(client);
      await runFiveEvents(fx.manager('rhea', `run-after-refusals-${authFailure}`));
      expect((await inbox.until(5)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(refusals.filter((r) => r.closeCode === 1011)).toEqual([]);
      expect(problems).toEqual([]);
    });
  });
}

describe('a server process (memory bus, authFailure close) under the crash and oracle inputs', () => {
  it('refuses them and keeps running: no process exit, no internal error, foreign and unknown runs answered alike', async () => {
    const secret = 'process-survival-secret-0123456789abcdef';
    const key = new TextEncoder().encode(secret);
    const instance = await startInstance({ bus: 'memory', secret, issuer: ISSUER, audience: AUDIENCE, authFailure: 'close', allowedOrigins: ORIGIN });
    try {
      const token = (userId: string) => mintToken({ userId, key, issuer: ISSUER, audience: AUDIENCE });
      // The reported crash: 150 × "é" (UTF-8) in the Origin, copied into a close reason cut at 120 characters.
      const crash = await rawUpgrade(instance.url, { protocols: [SUBPROTOCOL, `bearer.${await token('mallory')}`], headers: { Origin: Buffer.from('é'.repeat(150)).toString('latin1') } });
      expect(crash).toMatchObject({ status: 101, closeCode: 4403, closeReason: 'forbidden' });
      expect((await instance.run([{ userId: 'victim', runId: 'run-secret', thinking: 1 }])).failed).toEqual([]);
      const mallory = await connectClient({ url: instance.url, token: await token('mallory'), WebSocket: WebSocket as never, heartbeatIntervalMs: 0 });
      const frames: Record<string, unknown>[] = [];
      mallory.on('frame', (f) => frames.push(f));
      const answer = async (frame: Record<string, unknown>) => {
        const from = frames.length;
        mallory.send(frame);
        await waitUntil(() => frames.slice(from).some((f) => f.type === 'resume_complete' || f.type === 'error'), 5000, 'an answer');
        return frames.slice(from).map((f) => JSON.stringify(f).replaceAll('run-secret', 'RUN').replaceAll('run-nobody', 'RUN'));
      };
      expect(JSON.parse((await answer({ type: 'resume', runs: { 'run-secret': 1e21 } }))[0]!)).toMatchObject({ code: 'ERR_BAD_FRAME' });
      for (const lastSeq of [0, 2, 2 ** 53 - 1]) {
        expect(await answer({ type: 'resume', runs: { 'run-secret': lastSeq } })).toEqual(await answer({ type: 'resume', runs: { 'run-nobody': lastSeq } }));
      }
      await mallory.close();
      expect(instance.alive).toBe(true);
      expect(await instance.stats()).toMatchObject({ serverErrors: 0 });
    } finally {
      await instance.close();
    }
  });
});
