import { describe, expect, it } from 'vitest';
import { CommandsAhead, ScriptArgs, callMemory } from './redis-script-call.js';

/** RESP of a command: `*<n>` then each argument as a bulk string (UTF-8 byte lengths). */
function resp(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

describe('ScriptArgs / CommandsAhead encoding (issue 21 redis13: nothing of the rope kept past encode)', () => {
  it('encodes the call once more to the same bytes after its arguments were reduced to one string', () => {
    for (const frame of ['{"type":"agent_thinking","seq":1}', '{"reasoning":"schritt ü — ✓"}']) {
      const args = new ScriptArgs();
      args.push('3');
      args.push('ssot:streams');
      args.push(frame, Buffer.byteLength(frame));
      args.pushEncoded('$1\r\nl\r\n$4\r\nuser\r\n', 2, 0);
      const first = args.encode('evalsha', 'abc123');
      expect(first.toString('utf8')).toBe(resp(['evalsha', 'abc123', '3', 'ssot:streams', frame, 'l', 'user']));
      // Fails if encode() kept anything but exactly the arguments' text (the slice of the flattened call).
      expect(args.encode('evalsha', 'abc123').equals(first)).toBe(true);
      expect(args.encode('eval', 'return 1').toString('utf8')).toBe(resp(['eval', 'return 1', '3', 'ssot:streams', frame, 'l', 'user']));
    }
  });

  it('sends the commands ahead before the script call, then drops their text; a reply keeps only whether it applied', () => {
    const ahead = new CommandsAhead();
    ahead.command(3);
    ahead.push('XADD', 4);
    ahead.push('k', 1);
    ahead.push('1-0', 3);
    const args = new ScriptArgs();
    args.push('0');
    const bytes = args.encode('evalsha', 'abc', ahead).toString('utf8');
    expect(bytes).toBe(resp(['XADD', 'k', '1-0']) + resp(['evalsha', 'abc', '0']));
    expect(ahead.text).toBe('');
    const ok = ahead.slot(0);
    const refused = ahead.slot(1);
    const failed = ahead.slot(2);
    ok.resolve('1-0');
    refused.resolve(null);
    failed.reject(new Error('ERR The ID specified in XADD is equal or smaller'));
    expect(ahead.replies[0]).toBe(true);
    expect(ahead.replies[1]).toBeNull();
    expect(ahead.replies[2]).toBeInstanceOf(Error);
  });

  it("is the command-queue entry of all the commands ahead (issue 21 redis17): takes every reply but the last, which ioredis then resolves or rejects it with; pre-encoded commands count", () => {
    const ahead = new CommandsAhead();
    ahead.pushEncoded(resp(['XADD', 'k', 'NOMKSTREAM', '1-0', 'm', 'piece ✓']), 1, 2);
    ahead.command(3);
    ahead.push('PUBLISH', 7);
    ahead.push('ch', 2);
    ahead.push('x', 1);
    ahead.pushEncoded(resp(['XADD', 'k', 'NOMKSTREAM', '2-0', 'm', 'p']), 1, 0);
    expect(ahead.count).toBe(3);
    const args = new ScriptArgs();
    args.push('0');
    expect(args.encode('evalsha', 'abc', ahead).toString('utf8')).toBe(
      resp(['XADD', 'k', 'NOMKSTREAM', '1-0', 'm', 'piece ✓']) + resp(['PUBLISH', 'ch', 'x']) + resp(['XADD', 'k', 'NOMKSTREAM', '2-0', 'm', 'p']) + resp(['evalsha', 'abc', '0']),
    );
    expect(ahead.takeReply(Buffer.from('1-0'))).toBe(true);
    expect(ahead.takeReply(1)).toBe(true);
    // The last one is ioredis's to settle (it shifts the entry): refused here, then resolved.
    expect(ahead.takeReply(null)).toBe(false);
    ahead.reject(new Error('ERR The ID specified in XADD is equal or smaller'));
    expect(ahead.replies.slice(0, 2)).toEqual([true, 1]);
    expect(ahead.replies[2]).toBeInstanceOf(Error);
    expect(ahead.replies).toHaveLength(3);
  });

  it("writes a call into its connection's reused memory only while nothing is queued on it (issue 21 redis23)", () => {
    // Above Node's 4 kB pool: Buffer.from gives each call an ArrayBuffer of its own.
    const frame = '{"type":"agent_thinking","data":{"reasoning":"' + 'x'.repeat(6000) + ' ✓"}}';
    const build = () => {
      const args = new ScriptArgs();
      args.push('1');
      args.push(frame, Buffer.byteLength(frame));
      return args;
    };
    const expected = resp(['evalsha', 'abc', '1', frame]);
    const idle = { writableLength: 0 };
    const one = build().encode('evalsha', 'abc', undefined, idle);
    expect(one.toString('utf8')).toBe(expected);
    const copy = Buffer.from(one);
    // Nothing queued: the next call on that socket reuses the memory (fails with a new Buffer per call).
    const two = build().encode('evalsha', 'abc', undefined, idle);
    expect(two.toString('utf8')).toBe(expected);
    expect(two.buffer).toBe(one.buffer);
    expect(two.byteOffset).toBe(one.byteOffset);
    // Bytes still queued on the socket (a write in flight holds `one`): a new Buffer, `one` left as it was.
    const busy = { writableLength: one.length };
    const three = build().encode('eval', 'return 1', undefined, busy);
    expect(three.buffer).not.toBe(one.buffer);
    expect(three.toString('utf8')).toBe(resp(['eval', 'return 1', '1', frame]));
    expect(one.equals(copy)).toBe(true);
    // Another socket has memory of its own; a socket without writableLength gets none.
    expect(callMemory({ writableLength: 0 }, 10)).not.toBe(callMemory(idle, 10));
    expect(callMemory({}, 10)).toBeUndefined();
  });
});
