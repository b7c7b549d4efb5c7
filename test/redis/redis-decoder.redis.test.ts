// The subscriber connection's RESP decoder (canonical/bus/redis-decoder.ts: @redis/client's in place of ioredis 6's,
// issue 21 redis15) against a real redis-server: the bus's subscriber connection uses it, again after Redis restarts,
// and a connection with it gets the same answers and channel messages as one without.
import { Redis, ReplyError } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { frameString } from '../../canonical/index.js';
import type { BusDelivery, EventEnvelope } from '../../canonical/index.js';
import { decodeWithRedisClient, decodesWithRedisClient, takesMultiReplies } from '../../canonical/bus/redis-decoder.js';
import { RedisBus } from '../../canonical/bus/redis.js';
import { startRedisServer } from '../helpers/redis-server.js';
import type { RedisServerHandle } from '../helpers/redis-server.js';

let redis: RedisServerHandle;
const closing: (() => Promise<unknown> | void)[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});
afterAll(async () => {
  await redis?.dispose();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function client(options: { decode: boolean; stringNumbers?: boolean }): Redis {
  const c = new Redis(redis.url, { maxRetriesPerRequest: 0, ...(options.stringNumbers ? { stringNumbers: true } : {}) });
  c.on('error', () => {});
  if (options.decode) decodeWithRedisClient(c);
  closing.push(() => c.disconnect());
  return c;
}
const ready = (c: Redis) => (c.status === 'ready' ? Promise.resolve() : new Promise<void>((r) => c.once('ready', () => r())));

describe('the subscriber connection\'s decoder against redis-server', () => {
  it('a bus\'s subscriber connection decodes with @redis/client\'s decoder, its command connection with ioredis\'s; after redis-server restarts too, and events keep arriving', async () => {
    const bus = new RedisBus({ url: redis.url, keyPrefix: 'dec1:', reconnectMaxMs: 100 });
    closing.push(() => bus.close({ drainTimeoutMs: 500 }).catch(() => undefined));
    const { sub, cmd } = bus as unknown as { sub: Redis; cmd: Redis };
    await bus.ready();
    expect(decodesWithRedisClient(sub)).toBe(true);
    expect(decodesWithRedisClient(cmd)).toBe(false);
    const got: EventEnvelope[] = [];
    bus.subscribe('ann', (d: BusDelivery) => {
      if (d.kind === 'event') got.push(JSON.parse(frameString(d.text)) as EventEnvelope);
      return 1;
    });
    await bus.position('ann');
    const publish = (i: number) => bus.publishEvent({ userId: 'ann', threadId: 'th-ann', runId: 'run-dec', type: 'agent_thinking', data: { reasoning: `step ${i} — ✓` } });
    await publish(0);
    await until('the first event', () => got.length === 1);

    const before = sub.stream;
    await redis.stop();
    await redis.start();
    await until('the subscriber on a new socket, ready', () => sub.stream !== before && sub.status === 'ready');
    expect(decodesWithRedisClient(sub)).toBe(true);
    await until('the command connection ready', () => cmd.status === 'ready');
    await bus.position('ann');
    await publish(1);
    await until('the event after the restart', () => got.length === 2);
    expect(got.map((e) => (e as EventEnvelope & { reasoning: string }).reasoning)).toEqual(['step 0 — ✓', 'step 1 — ✓']);
  });

  it("leanAppends 'pipelined' (issue 21 redis17): the command connection decodes with @redis/client's decoder too and hands a call's commands ahead their replies as one queue entry; after redis-server restarts too", async () => {
    const bus = new RedisBus({ url: redis.url, keyPrefix: 'dec2:', reconnectMaxMs: 100, leanAppends: 'pipelined' });
    closing.push(() => bus.close({ drainTimeoutMs: 500 }).catch(() => undefined));
    const { cmd } = bus as unknown as { cmd: Redis };
    await bus.ready();
    expect(decodesWithRedisClient(cmd)).toBe(true);
    expect(takesMultiReplies(cmd.stream)).toBe(true);
    const publish = (run: string, i: number) => bus.publishEvent({ userId: 'bea', threadId: 'th-bea', runId: run, type: 'agent_thinking', data: { reasoning: `step ${i}` } });
    const lockstep = async (run: string, n: number) => {
      const got: EventEnvelope[] = [];
      for (let i = 0; i < n; i++) got.push(await publish(run, i));
      return got;
    };
    // The first event goes full (through the script), the next ones lean, as XADDs ahead of the script call.
    expect((await lockstep('run-p1', 4)).map((e) => [e.seq, e.offset])).toEqual([[1, 1], [2, 2], [3, 3], [4, 4]]);
    expect(bus.stats().lightItems).toBe(3);
    const before = cmd.stream;
    await redis.stop();
    await redis.start();
    await until('the command connection on a new socket, ready', () => cmd.stream !== before && cmd.status === 'ready');
    expect(decodesWithRedisClient(cmd)).toBe(true);
    expect(takesMultiReplies(cmd.stream)).toBe(true);
    const after = await lockstep('run-p2', 3);
    expect(after.map((e) => [e.seq, e.offset])).toEqual([[1, 1], [2, 2], [3, 3]]);
    expect(bus.stats().lightItems).toBe(5);
  });

  it('the same answers as ioredis\'s decoder for what a subscriber connection is sent (INFO, HELLO, PING, CLIENT, an error) and the same channel messages, large and binary ones too', async () => {
    const ours = client({ decode: true });
    const theirs = client({ decode: false });
    const publisher = client({ decode: false });
    await Promise.all([ready(ours), ready(theirs), ready(publisher)]);
    expect(decodesWithRedisClient(ours)).toBe(true);
    expect(decodesWithRedisClient(theirs)).toBe(false);

    const answers = async (c: Redis) => {
      const info = await c.info('server');
      const hello = (await c.call('HELLO', '3')) as unknown[];
      const error = (await c.call('NOSUCHCMD', 'x').catch((e: unknown) => e)) as Error;
      return {
        info: [typeof info, info.split('\r\n')[0], /^redis_version:/m.test(info)],
        // `id` (the connection's) differs between the two: the keys and the rest of the shape do not
        hello: hello.map((v, i) => (hello[i - 1] === 'id' || (Buffer.isBuffer(hello[i - 1]) && String(hello[i - 1]) === 'id') ? typeof v : v)),
        ping: await c.ping(),
        name: await c.client('SETNAME', 'dec-test'),
        error: [error instanceof ReplyError, error.name, error.message],
      };
    };
    const mine = await answers(ours);
    expect(mine).toEqual(await answers(theirs));
    expect(mine.error).toEqual([true, 'ReplyError', expect.stringMatching(/^ERR unknown command 'NOSUCHCMD'/)]);

    const received = new Map<Redis, [string, Buffer][]>([[ours, []], [theirs, []]]);
    for (const [c, list] of received) {
      c.on('messageBuffer', (channel: Buffer, message: Buffer) => list.push([`${channel}`, Buffer.from(message)]));
      c.on('pmessageBuffer', (pattern: string, channel: Buffer, message: Buffer) => list.push([`${pattern} ${channel}`, Buffer.from(message)]));
      expect(await c.subscribe('dec:a', 'dec:b')).toBe(2);
      expect(await c.psubscribe('dec:p*')).toBe(3);
    }
    const sent: [string, Buffer][] = [
      ['dec:a', Buffer.from('{"seq":1}')],
      ['dec:b', Buffer.from([0, 13, 10, 0xff, 0xc3, 0x28, 36, 42, 13, 10, 62])],
      ['dec:a', Buffer.alloc(0)],
      ['dec:pq', Buffer.from('pattern ✓')],
      ['dec:b', Buffer.alloc(300_000, 'x\r\n$3\r\n')], // read in several socket chunks
      ...Array.from({ length: 200 }, (_, i): [string, Buffer] => [i % 2 ? 'dec:a' : 'dec:b', Buffer.from(`{"offset":${i},"frame":"${'y'.repeat(i)}"}`)]),
    ];
    for (const [channel, message] of sent) void publisher.publish(channel, message);
    // as base64 text: a deep equality of 300 kB Buffers element by element takes seconds
    const text = (list: [string, Buffer][]) => list.map(([channel, message]) => [channel, message.toString('base64')]);
    const expected = text(sent.map(([channel, message]): [string, Buffer] => [channel === 'dec:pq' ? `dec:p* ${channel}` : channel, message]));
    await until('every message on both connections', () => [...received.values()].every((l) => l.length === sent.length));
    expect(text(received.get(ours)!)).toEqual(expected);
    expect(text(received.get(theirs)!)).toEqual(expected);
    expect(await ours.unsubscribe('dec:a')).toEqual(await theirs.unsubscribe('dec:a'));
  });

  it('a client with ioredis\'s stringNumbers keeps ioredis\'s decoder (integers in push frames would differ)', async () => {
    const c = client({ decode: true, stringNumbers: true });
    await ready(c);
    expect(decodesWithRedisClient(c)).toBe(false);
    expect(decodeWithRedisClient(c)).toBe(false);
  });
});
