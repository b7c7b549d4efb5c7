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
