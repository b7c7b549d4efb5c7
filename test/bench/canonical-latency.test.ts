/**
 * The canonical suite's latency method over real loopback sockets: each server stamps every event
 * just before emitting it, the client process stamps its arrival, and the bench joins the two by
 * (user, seq). Three users, one five-event run each, for each of the three servers.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ChildChannel } from '../../bench/canonical/channel.js';
import type { GcEntry } from '../../bench/canonical/gc-watch.js';
import { CLIENT_NODE_ARGS } from '../../bench/canonical/workload.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const started: ChildChannel[] = [];
afterAll(async () => {
  await Promise.all(started.map((c) => c.stop()));
});

const USERS = 3;

describe('bench canonical: sub-millisecond latency stamps', () => {
  for (const kind of ['raw', 'canonical', 'socketio'] as const) {
    it(`${kind}: every event has a send and a receive stamp, joined by user and seq`, async () => {
      const server = ChildChannel.start(`${kind} server`, path.join(root, 'bench/canonical/server.ts'), [kind], { cwd: root, nodeArgs: ['--expose-gc'] });
      const clients = ChildChannel.start(`clients→${kind}`, path.join(root, 'bench/canonical/clients.ts'), [], { cwd: root, nodeArgs: [...CLIENT_NODE_ARGS] });
      started.push(server, clients);
      const { url } = await server.call<{ url: string }>('listen', { heartbeatIntervalMs: 30_000 }, 60_000);
      const c = await clients.call<{ opened: number }>('connect', { url, n: USERS, prefix: 'lat-user-', concurrency: USERS, protocol: kind === 'socketio' ? 'socketio' : 'ws' }, 60_000);
      expect(c.opened).toBe(USERS);
      await server.call('gcWatch');
      for (let round = 0; round < 2; round++) {
        await clients.call('arm', { mode: 'latency', expect: USERS * 5 });
        const [sent, got] = await Promise.all([
          server.call<{ stamps: number[]; startAt: number; endAt: number }>('send', { prefix: 'lat-user-', users: USERS, rounds: 1, tag: `t${round}`, stamp: true }, 60_000),
          clients.call<{ complete: boolean; received: number[]; p99: number; max: number }>('wait', { timeoutMs: 30_000, received: true }, 60_000),
        ]);
        expect(got.complete).toBe(true);
        expect(sent.stamps).toHaveLength(USERS * 5);
        expect(got.received).toHaveLength(USERS * 5);
        for (let u = 0; u < USERS; u++) {
          for (let k = 0; k < 5; k++) {
            const i = u * 5 + k;
            const s = sent.stamps[i]!;
            const r = got.received[i]!;
            // Stamped within the send loop; received after it was sent, within the run.
            expect(s).toBeGreaterThanOrEqual(sent.startAt);
            expect(s).toBeLessThanOrEqual(sent.endAt);
            expect(r).toBeGreaterThan(s);
            expect(r - s).toBeLessThan(10_000);
            if (k > 0) {
              // The loop is event-major (event k of every user before k+1), and a run's events arrive in seq order.
              expect(s).toBeGreaterThan(sent.stamps[i - 1]!);
              expect(r).toBeGreaterThan(got.received[i - 1]!);
            }
          }
        }
        // The former method (Date.now() − envelope ts, whole ms) starts at or after the stamp: it reads at
        // most the stamped latency plus its rounding (under 1 ms, and a little for the two clocks).
        const slowest = Math.max(...sent.stamps.map((s, i) => got.received[i]! - s));
        expect(got.max).toBeLessThan(slowest + 1.5);
      }
      // perf_hooks reports the server's collections: a forced full GC (memory) is one major.
      await server.call('gcTake');
      await server.call('memory');
      const gcs = await server.call<GcEntry[]>('gcTake');
      expect(gcs.some((g) => g.kind === 'major' && g.ms >= 0 && Number.isFinite(g.at))).toBe(true);
    });
  }
});
