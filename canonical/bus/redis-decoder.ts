/**
 * The subscriber connection's RESP decoder: @redis/client's in place of ioredis 6's own (issue 21 redis15).
 *
 * Why: ioredis 6's decoder is adapted from @redis/client's, but compiled with TypeScript's private-field helpers (a
 * `WeakMap` lookup per field access, several per value), and the subscriber connection decodes every event this
 * instance's users get: ~18 channel messages per 100 events in the bench's workload. That connection's bytes, captured
 * from the workload and replayed through both decoders, cost 0.33-0.52 µs of CPU per event with ioredis's and
 * 0.07-0.09 with @redis/client's; in the workload itself (210 alternated pairs of trials in one process) Node's CPU per
 * event fell by 0.26 µs (median of the pairs' differences), in the bench by 0.30 (18 alternated runs each):
 * canonical/bus/README.md, "What issue 21 redis15 measured and changed".
 * The command connection's replies (one per call of ~100 events) cost ~6 ns per event there: left to ioredis — except in
 * leanAppends 'pipelined', where that connection also gets an XADD reply per lean item and a PUBLISH reply per channel:
 * there it decodes with this decoder too, which hands the replies of the commands sent ahead of a call to their one
 * command-queue entry (MultiReplyCommand below; issue 21 redis17: ~0.3 µs per lean item less than a queue slot each
 * through ioredis's decoder and dispatch, canonical/bus/README.md "What issue 21 redis17 measured and changed").
 *
 * What a caller sees does not change. The decoders differ where ioredis's reply mappings give RESP3-only types other
 * shapes; the adapter below restores them for error replies (ioredis's ReplyError classes) and booleans (1 / 0 under the
 * default "legacy" mapping). It does not for doubles (ioredis's legacy mapping gives their text as a Buffer,
 * @redis/client a number) nor for other scalars than blob strings and integers inside push frames: no command a
 * subscriber connection sends (the handshake: HELLO, AUTH, SELECT, CLIENT; the ready check's INFO; SUBSCRIBE,
 * UNSUBSCRIBE, PING, QUIT) is answered with a double, and Redis's push frames (pub/sub, invalidations) hold blob strings,
 * integers, arrays and nulls only. With ioredis's `stringNumbers` (integers as strings, inside push frames too, where
 * @redis/client keeps numbers) the connection keeps ioredis's decoder. Tests: redis-decoder.test.ts (both decoders on
 * the same bytes), and test/redis/redis-decoder.redis.test.ts (a real connection, through a reconnect).
 *
 * How: ioredis makes a connection's DataHandler (its decoder, and the socket's first 'data' listener) as the socket
 * connects, and emits 'connect' on the next tick, before any byte of a reply is read. On 'connect' a second DataHandler
 * is made for the same connection with this decoder — ioredis looks its Decoder up on its module when it makes one: the
 * module's is swapped for that synchronous call only — and the first one's listener is removed. These are ioredis
 * internals (the package pins ioredis ~6.0.0); where they are not found, the connection keeps ioredis's decoder.
 */
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import { Decoder as RedisClientDecoder } from '@redis/client/dist/lib/RESP/decoder.js';
import { BlobError as RedisClientBlobError } from '@redis/client/dist/lib/errors.js';

const require = createRequire(import.meta.url);

/** What ioredis's DataHandler gives the decoder it makes. */
export interface DecoderConfig {
  onReply(reply: unknown): void;
  onErrorReply(error: Error): void;
  onPush(push: unknown[]): void;
  getTypeMapping(): Record<number, unknown>;
}

export interface RespDecoder {
  write(chunk: Buffer): void;
}

export type DecoderClass = new (config: DecoderConfig) => RespDecoder;

export interface IoredisInternals {
  /** ioredis's decoder module: DataHandler reads `Decoder` from it each time it makes one. */
  decoders: { Decoder: DecoderClass };
  DataHandler: new (redis: object, parserOptions: ParserOptions) => unknown;
  SimpleError: new (message: string) => Error;
  BlobError: new (message: string) => Error;
}

/** The parser options ioredis's DataHandler takes. */
export interface ParserOptions {
  stringNumbers?: boolean;
  replyMapping?: string | undefined;
}

/**
 * Makes one ioredis DataHandler for `redis` (which attaches itself to `redis.stream`) that decodes with `decoder`:
 * ioredis reads its decoder module's `Decoder` as it makes one, so that is swapped for this synchronous call only.
 */
export function dataHandlerWith(io: Pick<IoredisInternals, 'decoders' | 'DataHandler'>, decoder: DecoderClass, redis: object, options: ParserOptions): void {
  const saved = io.decoders.Decoder;
  io.decoders.Decoder = decoder;
  try {
    new io.DataHandler(redis, options);
  } finally {
    io.decoders.Decoder = saved;
  }
}

/** RESP3's boolean type byte (`#`). */
const BOOLEAN = 35;

function loadInternals(): IoredisInternals | undefined {
  try {
    const decoders = require('ioredis/built/resp/decoder.js') as { Decoder?: unknown };
    const DataHandler = (require('ioredis/built/DataHandler.js') as { default?: unknown }).default;
    const { SimpleError, BlobError } = require('ioredis/built/resp/errors.js') as { SimpleError?: unknown; BlobError?: unknown };
    if (typeof decoders.Decoder !== 'function' || typeof DataHandler !== 'function' || typeof SimpleError !== 'function' || typeof BlobError !== 'function') return undefined;
    return { decoders, DataHandler, SimpleError, BlobError } as IoredisInternals;
  } catch {
    return undefined;
  }
}

let internals: IoredisInternals | null | undefined;
function ioredisInternals(): IoredisInternals | undefined {
  if (internals === undefined) internals = loadInternals() ?? null;
  return internals ?? undefined;
}

/** ioredis's shape of a reply decoded by @redis/client: booleans as 1 / 0 when the mapping asks for numbers. */
function asNumbers(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) value[i] = asNumbers(value[i]);
  return value;
}

/**
 * A command-queue entry's command that takes the replies of several commands sent in one write (CommandsAhead in
 * redis-script-call.ts): while it heads ioredis's command queue, a decoder made with a `queue` (below) hands it each
 * reply (or error reply) and drops the reply if it returns true; the last one it refuses, and ioredis then shifts the
 * entry and resolves or rejects it as any command's. One queue entry and one ioredis dispatch for many replies.
 */
export interface MultiReplyCommand {
  readonly takesReplies: true;
  takeReply(reply: unknown): boolean;
}

/** ioredis's command queue as the decoder reads it: its head entry. */
export interface CommandQueueHead {
  peekFront(): { command?: unknown } | undefined;
}

/** The reply goes to the queue's head entry if that is a MultiReplyCommand that takes it. */
function takenByHead(queue: CommandQueueHead, reply: unknown): boolean {
  const command = queue.peekFront()?.command as Partial<MultiReplyCommand> | undefined;
  return command !== undefined && command.takesReplies === true && command.takeReply!(reply);
}

/**
 * @redis/client's decoder with ioredis's error classes and (under a mapping that asks for it) numeric booleans; for the
 * decoder module of `io` (its error classes). With `queue` (the connection's command queue), replies the queue's head
 * entry takes (MultiReplyCommand) go to it instead of ioredis. Exported for the tests.
 */
export function redisClientDecoder(io: Pick<IoredisInternals, 'SimpleError' | 'BlobError'>, queue?: CommandQueueHead): DecoderClass {
  return class extends RedisClientDecoder {
    constructor(config: DecoderConfig) {
      const numericBooleans = config.getTypeMapping()[BOOLEAN] === Number;
      const toError = (error: Error) => (error instanceof RedisClientBlobError ? new io.BlobError(error.message) : new io.SimpleError(error.message));
      const onReply = numericBooleans ? (reply: unknown) => config.onReply(asNumbers(reply)) : (reply: unknown) => config.onReply(reply);
      const onErrorReply = (error: Error) => config.onErrorReply(toError(error));
      super({
        onReply: queue === undefined ? onReply : (reply) => {
          if (!takenByHead(queue, reply)) onReply(reply);
        },
        onErrorReply: queue === undefined ? onErrorReply : (error) => {
          const e = toError(error);
          if (!takenByHead(queue, e)) config.onErrorReply(e);
        },
        onPush: numericBooleans ? (push) => config.onPush(asNumbers(push) as unknown[]) : (push) => config.onPush(push),
        getTypeMapping: config.getTypeMapping as () => never,
      });
    }
  };
}

let Decoder: DecoderClass | undefined;
/** The sockets whose replies a redisClientDecoder decodes (what decodesWithRedisClient reads). */
const swapped = new WeakSet<object>();
/** Of those, the sockets whose decoder hands replies to a MultiReplyCommand heading the queue (takesMultiReplies). */
const multiReplies = new WeakSet<object>();

/**
 * Decodes `client`'s replies with @redis/client's decoder from its next connection on, and on every reconnection.
 * Call it right after `new Redis(...)`, before its socket connects. False (nothing done) when this ioredis has not the
 * internals it needs, or `client` has the `stringNumbers` option. `multiReplies`: the decoder also hands replies to a
 * MultiReplyCommand heading the client's command queue (the bus's command connection in leanAppends 'pipelined').
 */
export function decodeWithRedisClient(client: Redis, options: { multiReplies?: boolean } = {}): boolean {
  const io = ioredisInternals();
  if (!io || client.options.stringNumbers) return false;
  let decoder: DecoderClass;
  if (options.multiReplies) {
    const queue = (client as unknown as { commandQueue?: Partial<CommandQueueHead> }).commandQueue;
    if (queue === undefined || typeof queue.peekFront !== 'function') return false;
    // The client's queue object is made once, in its constructor (ioredis 6): read at each reply, not captured.
    const head: CommandQueueHead = { peekFront: () => (client as unknown as { commandQueue: CommandQueueHead }).commandQueue.peekFront() };
    decoder = redisClientDecoder(io, head);
  } else decoder = Decoder ??= redisClientDecoder(io);
  client.on('connect', () => {
    const stream = swap(client, io, decoder);
    if (stream !== undefined && options.multiReplies) multiReplies.add(stream);
  });
  return true;
}

/** Whether `client`'s current socket is decoded by @redis/client's decoder. */
export function decodesWithRedisClient(client: Redis): boolean {
  const stream = (client as { stream?: object }).stream;
  return stream !== undefined && swapped.has(stream);
}

/** Whether replies read from `socket` go to a MultiReplyCommand heading its client's command queue. */
export function takesMultiReplies(socket: object): boolean {
  return multiReplies.has(socket);
}

/** The socket now decoded by `decoder`, or undefined (left to ioredis's decoder). */
function swap(client: Redis, io: IoredisInternals, decoder: DecoderClass): object | undefined {
  const stream = (client as { stream?: NodeJS.EventEmitter }).stream;
  if (!stream || swapped.has(stream)) return undefined;
  // ioredis's DataHandler prepended its listener as the socket connected: it is the first.
  const before = stream.listeners('data');
  const theirs = before[0];
  if (theirs === undefined) return undefined;
  const condition = (client as { condition?: { replyMapping?: string } | null }).condition;
  dataHandlerWith(io, decoder, client, { stringNumbers: false, replyMapping: condition?.replyMapping });
  const after = stream.listeners('data');
  if (after.length !== before.length + 1 || before.includes(after[0]!)) {
    // Not what ioredis 6 does: take back the listener just added, if any, and keep ioredis's decoder.
    for (const l of after) if (!before.includes(l)) stream.removeListener('data', l as (...args: unknown[]) => void);
    return undefined;
  }
  stream.removeListener('data', theirs as (...args: unknown[]) => void);
  swapped.add(stream);
  return stream;
}
