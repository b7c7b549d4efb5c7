import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { dataHandlerWith, redisClientDecoder } from './redis-decoder.js';
import type { DecoderClass, DecoderConfig, ParserOptions } from './redis-decoder.js';

const require = createRequire(import.meta.url);
const decoders = require('ioredis/built/resp/decoder.js') as { Decoder: DecoderClass };
const DataHandler = (require('ioredis/built/DataHandler.js') as { default: new (redis: object, options: ParserOptions) => unknown }).default;
const ioErrors = require('ioredis/built/resp/errors.js') as { SimpleError: new (m: string) => Error; BlobError: new (m: string) => Error };
const IoredisDecoder = decoders.Decoder;
const Ours = redisClientDecoder(ioErrors);

/** The type mapping ioredis's DataHandler gives its decoder for these parser options (read from a DataHandler, not copied). */
function mappingOf(options: ParserOptions): Record<number, unknown> {
  let mapping: Record<number, unknown> | undefined;
  const capture = class {
    constructor(config: DecoderConfig) {
      mapping = config.getTypeMapping();
    }
    write() {}
  };
  dataHandlerWith({ decoders, DataHandler }, capture, { stream: new PassThrough() }, options);
  expect(decoders.Decoder).toBe(IoredisDecoder);
  return mapping!;
}

type Out = ['reply' | 'push', unknown] | ['error', string, string, string];

/** What a decoder hands ioredis for `bytes` written in chunks of `size` (errors as class, name and message). */
function decode(D: DecoderClass, mapping: Record<number, unknown>, bytes: Buffer, size: number): Out[] {
  const out: Out[] = [];
  const d = new D({
    onReply: (r) => out.push(['reply', r]),
    onErrorReply: (e) => out.push(['error', e.constructor.name, e.name, e.message]),
    onPush: (p) => out.push(['push', p]),
    getTypeMapping: () => mapping,
  });
  for (let i = 0; i < bytes.length; i += size) d.write(bytes.subarray(i, i + size));
  return out;
}

const blob = (b: Buffer | string) => Buffer.concat([Buffer.from(`$${Buffer.byteLength(b)}\r\n`), Buffer.from(b), Buffer.from('\r\n')]);
const verbatim = (text: string) => Buffer.from(`=${Buffer.byteLength(text) + 4}\r\ntxt:${text}\r\n`);
const binary = Buffer.from([0, 13, 10, 0xff, 0xc3, 0x28, 36, 42, 13, 10, 62]);

/**
 * What a subscriber connection gets (the handshake's, INFO's, SUBSCRIBE's and PING's answers, channel messages), and
 * the rest of RESP3 but doubles.
 */
const FRAMES: Record<string, Buffer> = {
  hello: Buffer.from(
    '%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:5\r\n' +
      '$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n',
  ),
  ok: Buffer.from('+OK\r\n'),
  info: verbatim('# Server\r\nredis_version:7.0.15\r\nprocess_id:1\r\n'),
  pong: Buffer.from('+PONG\r\n'),
  subscribe: Buffer.from('>3\r\n$9\r\nsubscribe\r\n$7\r\nssot:ev\r\n:1\r\n'),
  message: Buffer.concat([Buffer.from('>3\r\n$7\r\nmessage\r\n$7\r\nssot:ev\r\n'), blob('{"x":1}\n'.repeat(200))]),
  binaryMessage: Buffer.concat([Buffer.from('>3\r\n$7\r\nmessage\r\n'), blob(binary), blob(binary)]),
  pmessage: Buffer.concat([Buffer.from('>4\r\n$8\r\npmessage\r\n$3\r\nss*\r\n$2\r\nss\r\n'), blob('')]),
  unsubscribe: Buffer.from('>3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n'),
  invalidate: Buffer.from('>2\r\n$10\r\ninvalidate\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n'),
  invalidateAll: Buffer.from('>2\r\n$10\r\ninvalidate\r\n_\r\n'),
  simpleError: Buffer.from("-ERR unknown command 'nosuch', with args beginning with: \r\n"),
  noauth: Buffer.from('-NOAUTH Authentication required.\r\n'),
  blobError: Buffer.from('!21\r\nSYNTAX invalid syntax\r\n'),
  null: Buffer.from('_\r\n'),
  nullBlob: Buffer.from('$-1\r\n'),
  nullArray: Buffer.from('*-1\r\n'),
  empty: Buffer.from('$0\r\n\r\n'),
  integers: Buffer.from('*3\r\n:0\r\n:-42\r\n:9007199254740991\r\n'),
  bigNumber: Buffer.from('(3492890328409238509324850943850943825024385\r\n'),
  booleans: Buffer.from('*2\r\n#t\r\n#f\r\n'),
  nested: Buffer.from('*2\r\n%1\r\n+k\r\n#t\r\n~2\r\n$1\r\na\r\n:2\r\n'),
  verbatim: verbatim('Some string'),
};
const ALL = Buffer.concat(Object.values(FRAMES));

describe('the subscriber connection\'s decoder (@redis/client\'s, issue 21 redis15) hands ioredis what its own decoder does', () => {
  for (const [name, options] of [['legacy (the default)', { replyMapping: 'legacy' }], ['resp3', { replyMapping: 'resp3' }]] as const) {
    it(`${name} mapping: every frame, whole and in chunks of 1, 2, 3, 5 and 7 bytes; all of them in one stream, in chunks of 1-64 bytes`, () => {
      const mapping = mappingOf(options);
      for (const [frame, bytes] of Object.entries(FRAMES)) {
        const expected = decode(IoredisDecoder, mapping, bytes, bytes.length);
        expect(expected.length, frame).toBe(1);
        for (const size of [bytes.length, 1, 2, 3, 5, 7]) expect(decode(Ours, mapping, bytes, size), `${frame} in chunks of ${size}`).toStrictEqual(expected);
      }
      const expected = decode(IoredisDecoder, mapping, ALL, ALL.length);
      expect(expected.length).toBe(Object.keys(FRAMES).length);
      for (let size = 1; size <= 64; size++) expect(decode(Ours, mapping, ALL, size), `chunks of ${size}`).toStrictEqual(expected);
    });
  }

  it('error replies are ioredis\'s ReplyError classes (`instanceof`, name), as with its own decoder', () => {
    const mapping = mappingOf({ replyMapping: 'legacy' });
    const errors: Error[] = [];
    const d = new Ours({ onReply: () => {}, onErrorReply: (e) => errors.push(e), onPush: () => {}, getTypeMapping: () => mapping });
    d.write(Buffer.concat([FRAMES.simpleError!, FRAMES.blobError!]));
    expect(errors.map((e) => [e instanceof ioErrors.SimpleError, e instanceof ioErrors.BlobError, e.name, e.message])).toEqual([
      [true, false, 'ReplyError', "ERR unknown command 'nosuch', with args beginning with: "],
      [false, true, 'ReplyError', 'SYNTAX invalid syntax'],
    ]);
  });

  it('the differences left (module comment): a double under the legacy mapping; integers in push frames under stringNumbers (that connection keeps ioredis\'s decoder)', () => {
    const mapping = mappingOf({ replyMapping: 'legacy' });
    const double = Buffer.from(',3.25\r\n');
    expect(decode(IoredisDecoder, mapping, double, double.length)).toStrictEqual([['reply', Buffer.from('3.25')]]);
    expect(decode(Ours, mapping, double, double.length)).toStrictEqual([['reply', 3.25]]);
    const strings = mappingOf({ replyMapping: 'legacy', stringNumbers: true });
    const count = FRAMES.subscribe!;
    expect((decode(IoredisDecoder, strings, count, count.length)[0]![1] as unknown[])[2]).toBe('1');
    expect((decode(Ours, strings, count, count.length)[0]![1] as unknown[])[2]).toBe(1);
  });
});

describe("the command connection's decoder in leanAppends 'pipelined' (issue 21 redis17): one queue entry takes the replies of the commands sent ahead of a call", () => {
  const Denque = require('denque') as new () => { push(x: unknown): void; shift(): unknown; peekFront(): { command?: unknown } | undefined; length: number };
  /** A command as ioredis queues it: what settled it. */
  const plain = (name: string) => {
    const got: unknown[] = [];
    return { got, command: { name, args: [], resolve: (r: unknown) => got.push(['reply', r]), reject: (e: Error) => got.push(['error', e.message]) } };
  };
  /** A MultiReplyCommand of n replies (as CommandsAhead): what it took, and what ioredis resolved or rejected it with. */
  const multi = (n: number) => {
    const got: unknown[] = [];
    let taken = 0;
    return {
      got,
      command: {
        name: 'xadd', args: [], takesReplies: true as const,
        takeReply: (r: unknown) => (++taken < n ? (got.push(['taken', r instanceof Error ? r.message : r]), true) : false),
        resolve: (r: unknown) => got.push(['resolved', r]),
        reject: (e: Error) => got.push(['rejected', e.message]),
      },
    };
  };
  // Two XADD ids (one refused with an error), a PUBLISH count, then the script's answer; then a plain command's.
  const replies = Buffer.concat([blob('1-0'), Buffer.from('-ERR The ID specified in XADD is equal or smaller\r\n'), Buffer.from(':2\r\n'), blob('+\n+'), blob('PONG')]);

  it('in every chunking: the entry takes all its replies but the last (ioredis shifts it with that one), the commands behind it get theirs; without such an entry replies go to ioredis as before', () => {
    for (let size = 1; size <= replies.length; size++) {
      const queue = new Denque();
      const redis = { stream: new PassThrough(), commandQueue: queue, condition: { protocol: 3, subscriber: false }, status: 'ready', options: {} };
      dataHandlerWith({ decoders, DataHandler }, redisClientDecoder(ioErrors, { peekFront: () => queue.peekFront() }), redis, { replyMapping: 'legacy' });
      const ahead = multi(3);
      const script = plain('evalsha');
      const ping = plain('ping');
      for (const c of [ahead, script, ping]) queue.push({ command: c.command, select: 0 });
      for (let i = 0; i < replies.length; i += size) redis.stream.emit('data', replies.subarray(i, i + size));
      expect(ahead.got, `chunks of ${size}`).toStrictEqual([['taken', Buffer.from('1-0')], ['taken', 'ERR The ID specified in XADD is equal or smaller'], ['resolved', 2]]);
      expect(script.got).toStrictEqual([['reply', Buffer.from('+\n+')]]);
      expect(ping.got).toStrictEqual([['reply', Buffer.from('PONG')]]);
      expect(queue.length).toBe(0);
    }
  });

  it("the entry's last reply an error: ioredis rejects the entry with it", () => {
    const queue = new Denque();
    // ioredis's error path: the command rejected (no reconnectOnError).
    const handleReconnection = (error: Error, item: { command: { reject(e: Error): void } }) => item.command.reject(error);
    const redis = { stream: new PassThrough(), commandQueue: queue, condition: { protocol: 3, subscriber: false }, status: 'ready', options: {}, handleReconnection };
    dataHandlerWith({ decoders, DataHandler }, redisClientDecoder(ioErrors, { peekFront: () => queue.peekFront() }), redis, { replyMapping: 'legacy' });
    const ahead = multi(2);
    queue.push({ command: ahead.command, select: 0 });
    redis.stream.emit('data', Buffer.concat([Buffer.from(':0\r\n'), Buffer.from('-ERR no such key\r\n')]));
    expect(ahead.got).toStrictEqual([['taken', 0], ['rejected', 'ERR no such key']]);
    expect(queue.length).toBe(0);
  });
});
