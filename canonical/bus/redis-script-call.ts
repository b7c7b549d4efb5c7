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
import { takesMultiReplies } from './redis-decoder.js';
import type { MultiReplyCommand } from './redis-decoder.js';

export class ScriptCall {
  readonly sha: string;
  /** Connections (sockets) this script was sent on in full. */
  private loaded = new WeakSet<object>();

  constructor(readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  /**
   * EVALSHA sha ...args on `client` (args: numKeys, keys, then the script's arguments); resolves to
   * the script's answer as a string (or a table of them). `ahead`: plain commands sent before it in
   * the same write, their replies collected in `ahead.replies` by the time this resolves.
   */
  call(client: Redis, args: ScriptArgs, ahead?: CommandsAhead): Promise<unknown> {
    return client.sendCommand(new ScriptCommand(this, args, client, ahead)) as Promise<unknown>;
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
    private readonly scriptArgs: ScriptArgs,
    private readonly client: Redis,
    private readonly ahead: CommandsAhead | undefined,
  ) {
    super('evalsha', [], { replyEncoding: 'utf8' });
  }

  // ioredis writes what this returns on `socket` at once (ScriptCall.call sends it on the connection itself: never
  // in a Pipeline, whose writes would wait in the pipeline, not on the socket — callMemory relies on that).
  override toWritable(socket: object): Buffer {
    const full = this.script.needsBody(socket);
    if (full) this.name = 'eval';
    const ahead = this.ahead;
    if (ahead === undefined || ahead.count === 0) return this.scriptArgs.encode(this.name, full ? this.script.lua : this.script.sha, undefined, socket);
    // ioredis answers replies in the order of its command queue, and pushes this command's entry
    // right after writing it: the commands ahead get their entries first. On a connection whose decoder
    // hands the replies of a multi-reply entry to it (redis-decoder.ts takesMultiReplies), the commands
    // ahead are one entry (CommandsAhead itself, which takes all their replies); otherwise one slot each.
    // Either way a connection lost rejects them and then this command.
    const queue = commandQueueOf(this.client)!;
    const select = (this.client as unknown as { condition?: { select?: number } }).condition?.select;
    if (takesMultiReplies(socket)) queue.push({ command: ahead, stream: undefined, select });
    else for (let i = 0; i < ahead.count; i++) queue.push({ command: ahead.slot(i), stream: undefined, select });
    return this.scriptArgs.encode(this.name, full ? this.script.lua : this.script.sha, ahead, socket);
  }
}

/**
 * ioredis' internal command queue, which answers replies in order (leanAppends 'pipelined' pushes the
 * commands ahead onto it); undefined when the installed ioredis has none, so the bus refuses that mode
 * at construction instead of misrouting replies.
 */
export function commandQueueOf(client: Redis): { push(item: unknown): void } | undefined {
  const queue = (client as unknown as { commandQueue?: { push?: unknown } }).commandQueue;
  return queue !== undefined && typeof queue.push === 'function' ? (queue as { push(item: unknown): void }) : undefined;
}

/**
 * Plain commands sent in the same write before a script call (ScriptCall.call's `ahead`), RESP-encoded
 * as they are added, with their byte lengths known (as ScriptArgs). Their replies land in `replies`
 * (`true` for a value — only whether it applied is read —, null, or the Error Redis answered) before
 * the script's answer resolves the call.
 *
 * It is also the command-queue entry of all of them on a connection whose decoder takes multi-reply
 * entries (redis-decoder.ts): the decoder hands it every reply but the last (takeReply), ioredis shifts
 * it with the last and resolves or rejects it — one queue entry and one ioredis dispatch per call
 * instead of one per command (issue 21 redis17).
 */
export class CommandsAhead implements MultiReplyCommand {
  text = '';
  count = 0;
  /** UTF-8 bytes beyond the chars, over all arguments (0: all ASCII). */
  extra = 0;
  readonly replies: unknown[] = [];
  /** What ioredis reads of a queue entry's command (an error reply names it). */
  readonly name = 'xadd';
  readonly args: unknown[] = [];
  readonly takesReplies = true;
  /** Replies recorded so far (the next one's index). */
  private got = 0;

  /** Starts a command of `argc` arguments (its name included); push them next. */
  command(argc: number): void {
    this.text += `*${argc}\r\n`;
    this.count++;
  }

  /** Appends an argument of the current command; `bytes` must be its exact UTF-8 length. */
  push(arg: string, bytes: number): void {
    this.text += (bytes < BULK_HEADERS.length ? BULK_HEADERS[bytes]! : `$${bytes}\r\n`) + arg + '\r\n';
    this.extra += bytes - arg.length;
  }

  /**
   * Appends `commands` whole commands already RESP-encoded (`*<argc>` and their arguments, as command() and
   * push() would make them); `extra`: their UTF-8 bytes beyond their chars.
   */
  pushEncoded(encoded: string, commands: number, extra: number): void {
    this.text += encoded;
    this.count += commands;
    this.extra += extra;
  }

  /** The command-queue entry's command for reply i: what ioredis calls on it (name, args, resolve, reject). */
  slot(i: number): ReplySlot {
    return new ReplySlot(this.replies, i);
  }

  /** As the queue's head entry: records a reply and keeps the entry (true), except the last one's (false: ioredis shifts it). */
  takeReply(reply: unknown): boolean {
    if (this.got >= this.count - 1) return false;
    this.record(reply);
    return true;
  }

  /** The last reply, or a connection lost (ioredis's queue flushed), through ioredis. */
  resolve(reply: unknown): void {
    this.record(reply);
  }

  reject(error: Error): void {
    this.record(error);
  }

  private record(reply: unknown): void {
    if (this.got < this.count) this.replies[this.got++] = typeof reply === 'string' || reply instanceof Buffer ? true : reply;
  }

  /**
   * After encoding (ScriptArgs.encode): the commands' text is in the call's Buffer, so the rope of pieces
   * that built it (~30 strings per lean item) is dropped instead of living until the call is answered.
   */
  encoded(): void {
    this.text = '';
  }
}

/**
 * Where one reply of a command ahead goes: an object with methods rather than closures (two closures
 * per command, each named at run time under tsx, were ~0.7 µs per event in a --cpu-prof of the bench).
 */
class ReplySlot {
  readonly name = 'xadd';
  readonly args: unknown[] = [];
  constructor(
    private readonly replies: unknown[],
    private readonly i: number,
  ) {}

  resolve(reply: unknown): void {
    // Only whether it applied is read (an XADD's id otherwise lives until the whole call is answered).
    this.replies[this.i] = typeof reply === 'string' || reply instanceof Buffer ? true : reply;
  }

  reject(error: Error): void {
    this.replies[this.i] = error;
  }
}

/**
 * `$<n>\r\n` for the argument lengths most calls have, made once: not a number formatted and a
 * string concatenated per argument (micro-benchmark of a 200-event call: 1.74 -> 1.50 µs per event).
 */
const BULK_HEADERS = Array.from({ length: 1024 }, (_, n) => `$${n}\r\n`);

/** `$<bytes>\r\n`: a bulk string's header (made once for the usual lengths, as ScriptArgs.push). */
export function bulkHeader(bytes: number): string {
  return bytes < BULK_HEADERS.length ? BULK_HEADERS[bytes]! : `$${bytes}\r\n`;
}

/**
 * A command's arguments, RESP-encoded as they are pushed (`$<len>\r\n<arg>\r\n…`), sent as one
 * Buffer: one string, encoded by one native call. (Against one write per argument: 1.16 vs 1.45 µs
 * per event with flat strings in a micro-benchmark.) A caller that knows an argument's UTF-8 bytes
 * passes them: Buffer.byteLength of a freshly concatenated argument flattens and scans it, which
 * for a light item's 12 arguments was ~0.75 µs of the bench's ~10 µs of Node per event
 * (--cpu-prof); and when every argument is ASCII (bytes = chars), the text is copied as latin1
 * instead of encoded as UTF-8. Micro-benchmark of a 200-event call: 2.45 -> 1.65 µs per event.
 */
export class ScriptArgs {
  private body = '';
  private n = 0;
  /** UTF-8 bytes beyond the chars, over all arguments: 0 only if every char is ASCII (each adds >= 0). */
  private extra = 0;

  /** Appends an argument; `bytes` must be its exact UTF-8 length (computed when not given). */
  push(arg: string, bytes = byteLength(arg)): void {
    this.body += (bytes < BULK_HEADERS.length ? BULK_HEADERS[bytes]! : `$${bytes}\r\n`) + arg + '\r\n';
    this.n++;
    this.extra += bytes - arg.length;
  }

  /**
   * Appends `argc` arguments already RESP-encoded (`bulk()` of each, concatenated once: a run's
   * constant arguments, made once per run rather than three strings per argument per event);
   * `extra`: their UTF-8 bytes beyond their chars.
   */
  pushEncoded(encoded: string, argc: number, extra: number): void {
    this.body += encoded;
    this.n += argc;
    this.extra += extra;
  }

  /**
   * RESP `*<n>\r\n` then name, first and the arguments pushed, in one Buffer (after the commands `ahead`, if any).
   * `socket`: the connection it is written to next (ScriptCommand.toWritable) — into that connection's reused
   * memory when nothing is queued on it (callMemory), else into a new Buffer.
   */
  encode(name: string, first: string, ahead?: CommandsAhead, socket?: object): Buffer {
    const firstBytes = byteLength(first);
    const nameBytes = byteLength(name);
    const text = `${ahead === undefined ? '' : ahead.text}*${this.n + 2}\r\n$${nameBytes}\r\n${name}\r\n$${firstBytes}\r\n${first}\r\n${this.body}`;
    // UTF-8 bytes beyond the chars; every term >= 0, so 0 only if every char is ASCII (then copied as latin1).
    const extra = this.extra + (ahead === undefined ? 0 : ahead.extra) + firstBytes - first.length + nameBytes - name.length;
    const encoding = extra === 0 ? 'latin1' : 'utf8';
    const memory = socket === undefined ? undefined : callMemory(socket, text.length + extra);
    let buffer = memory === undefined ? undefined : memory.subarray(0, memory.write(text, 0, encoding));
    // The memory was sized by the bytes counted per argument; should a count ever be short, a write cut at the memory's
    // end must not reach the socket: the call gets a Buffer of its own (the RESP lengths say what they say either way).
    if (buffer === undefined || buffer.length !== text.length + extra) buffer = Buffer.from(text, encoding);
    // The command (and so these arguments) lives in ioredis' queue until Redis answers: keep the body as
    // a slice of the text Buffer.from just flattened (one string) rather than its rope (~2 strings per
    // argument, which then survived young-generation GCs), and drop the commands ahead's text.
    this.body = text.slice(text.length - this.body.length);
    ahead?.encoded();
    return buffer;
  }
}

/**
 * A connection's memory for its calls' bytes, reused from call to call (issue 21 redis23): `Buffer.from` of a
 * call (~30 kB in the bench: above Node's 4 kB pool, so a new ArrayBuffer each time) cost more than copying the
 * text into it — a micro-benchmark of the bench's call (100 lean items, pinned, load ~3) read 640-730 ns per
 * event with a new Buffer, 520-580 into reused memory (building the text, ~180-240 of either, included).
 */
const memories = new WeakMap<object, Buffer>();
/** Calls above this many bytes get a Buffer of their own (the memory kept per connection stays bounded). */
const MEMORY_MAX_BYTES = 1 << 20;

/**
 * `socket`'s reused memory, at least `bytes` long, or undefined: when the socket still holds written bytes
 * (`writableLength` > 0 — a write in flight keeps the Buffer it was given until it completes, queued writes
 * theirs), when it is not a stream that says (no `writableLength`), or for a call above MEMORY_MAX_BYTES. With
 * nothing queued no earlier call's bytes are still to be read from it: Node's Writable counts a write's bytes
 * out only once the write completed (handed to the kernel), the same tick when it completed at once.
 */
export function callMemory(socket: object, bytes: number): Buffer | undefined {
  if ((socket as { writableLength?: unknown }).writableLength !== 0 || bytes > MEMORY_MAX_BYTES) return undefined;
  let memory = memories.get(socket);
  if (memory === undefined || memory.length < bytes) {
    memory = Buffer.allocUnsafeSlow(Math.max(16_384, 2 ** Math.ceil(Math.log2(bytes))));
    memories.set(socket, memory);
  }
  return memory;
}

/** One argument RESP-encoded (`$<bytes>\r\n<arg>\r\n`), for ScriptArgs.pushEncoded. */
export function bulk(arg: string, bytes = byteLength(arg)): string {
  return `$${bytes}\r\n${arg}\r\n`;
}

/**
 * UTF-8 bytes of a string. Buffer.byteLength itself, not a regular expression telling ASCII first
 * (then the length in chars): for a light item's 12 arguments 0.25-0.3 µs less (micro-benchmark
 * of the append call's encoding, 2026-12-02).
 */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
