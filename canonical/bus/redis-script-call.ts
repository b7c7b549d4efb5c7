/**
 * A Lua script call with many arguments, encoded in one pass into one Buffer. ioredis encodes a
 * command by growing a string argument by argument and hands that rope to the socket, which
 * flattens and encodes it again: for the append script's ~2,000 arguments per call that was the
 * publisher's largest cost (a CPU profile of the redis-bus bench: ~20% of the Node process).
 * Sent as EVAL the first time on a connection, EVALSHA after (as ioredis's own scripts do); a
 * NOSCRIPT answer (the script cache was flushed) makes the next call on that connection an EVAL.
 */
import { createHash } from 'node:crypto';
import { Command } from 'ioredis';
import type { Redis } from 'ioredis';

export class ScriptCall {
  readonly sha: string;
  /** Connections (sockets) this script was sent on in full. */
  private loaded = new WeakSet<object>();

  constructor(readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  /** EVALSHA sha numKeys ...args on `client`; resolves to the script's answer as a string (or a table of them). */
  call(client: Redis, args: readonly string[]): Promise<unknown> {
    return client.sendCommand(new ScriptCommand(this, args)) as Promise<unknown>;
  }

  /** The script must be sent in full (EVAL) before use on this connection. */
  needsBody(socket: object): boolean {
    if (this.loaded.has(socket)) return false;
    this.loaded.add(socket);
    return true;
  }

  /** After NOSCRIPT: every connection sends the script in full again. */
  forget(): void {
    this.loaded = new WeakSet();
  }
}

export function isNoScriptError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

class ScriptCommand extends Command {
  constructor(
    private readonly script: ScriptCall,
    private readonly scriptArgs: readonly string[],
  ) {
    super('evalsha', [], { replyEncoding: 'utf8' });
  }

  override toWritable(socket: object): Buffer {
    const full = this.script.needsBody(socket);
    if (full) this.name = 'eval';
    return encodeCommand(this.name, full ? this.script.lua : this.script.sha, this.scriptArgs);
  }
}

const CR = 13;
const LF = 10;

/** RESP `*<n>\r\n$<len>\r\n<arg>\r\n…` of name, first and args, written once into one Buffer. */
export function encodeCommand(name: string, first: string, args: readonly string[]): Buffer {
  let room = 64 + name.length + first.length * 3;
  for (let i = 0; i < args.length; i++) room += args[i]!.length * 3 + 16;
  const buf = Buffer.allocUnsafe(room);
  let at = writeHeader(buf, 0, 0x2a /* * */, args.length + 2);
  at = writeBulk(buf, at, name);
  at = writeBulk(buf, at, first);
  for (let i = 0; i < args.length; i++) at = writeBulk(buf, at, args[i]!);
  return buf.subarray(0, at);
}

/** `$<bytes>\r\n<text>\r\n` at `at`. The text is written first after a header sized for its length in chars (right for ASCII); a wider UTF-8 text is moved behind its real header. */
function writeBulk(buf: Buffer, at: number, text: string): number {
  const guess = digitsOf(text.length) + 3;
  const bytes = buf.write(text, at + guess);
  const header = digitsOf(bytes) + 3;
  if (header !== guess) buf.copyWithin(at + header, at + guess, at + guess + bytes);
  writeHeader(buf, at, 0x24 /* $ */, bytes);
  at += header + bytes;
  buf[at] = CR;
  buf[at + 1] = LF;
  return at + 2;
}

/** `<mark><n>\r\n` at `at`; returns the index after it. */
function writeHeader(buf: Buffer, at: number, mark: number, n: number): number {
  buf[at] = mark;
  const end = at + 1 + digitsOf(n);
  let i = end;
  do {
    buf[--i] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  } while (n > 0);
  buf[end] = CR;
  buf[end + 1] = LF;
  return end + 2;
}

function digitsOf(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}
