/**
 * Texts a large run reports but rarely reads again (each changed file's original and its diff)
 * moved out of the heap into a temporary file, read back on access. Measured on the bench's
 * 20,000-file tree at 100% affected (issue 21): holding them peaked at ~284 MiB RSS, about 33 MiB
 * above holding nothing, because the main thread still holds them while the pool's worker is
 * alive. The page cache that holds the file is not the process's memory.
 */
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEdits } from './edits.js';
import type { CompactProcessedFile, ExpandedFile } from './process.js';
import type { Edit } from './types.js';

/** Bytes per write and per read (one per file would be ~16,000 system calls each way at 100%). */
const BLOCK = 256 * 1024;

const EMPTY = Buffer.alloc(0);

/** Where a text is: a place in the file, or the text itself when UTF-8 would not give it back. */
export type Slot = { pos: number; bytes: number } | string;

interface Handle {
  fd: number;
  /** Only where an open file cannot be unlinked (Windows): removed when closed. */
  path?: string;
}

/** Closes (and removes) a spill file nobody can read any more. */
const closer = new FinalizationRegistry<Handle>(release);
/** Spill files still open, removed at exit where they could not be unlinked when opened. */
const open = new Set<Handle>();
let exitHook = false;

function release(h: Handle): void {
  open.delete(h);
  try {
    closeSync(h.fd);
  } catch {
    // already closed
  }
  if (h.path !== undefined) {
    try {
      unlinkSync(h.path);
    } catch {
      // already removed
    }
  }
}

export class SpillFile {
  private handle: Handle | undefined;
  /** Bytes on disk; the ones in `out` follow. */
  private written = 0;
  /** Texts encoded as they are put (one pass, no copy to join them), written when full. */
  private out: Buffer | undefined;
  private outUsed = 0;
  /** The last block read: texts are mostly read back in the order they were put (a report's diff). */
  private window: Buffer | undefined;
  private windowPos = 0;
  private windowLen = 0;
  /**
   * Set when the spill file could not be created or written (a read-only or full temp folder):
   * the run goes on holding in memory what it would have spilled — the block that failed to be
   * written, and every later text as itself.
   */
  private failed: { pos: number; block: Buffer } | undefined;

  /** Stores a text; read it back with `get`. */
  put(text: string): Slot {
    // a lone surrogate would come back from UTF-8 as U+FFFD: such a text stays in memory
    if (this.failed || !(text as unknown as { isWellFormed(): boolean }).isWellFormed()) return text;
    // UTF-8 takes at most 3 bytes per UTF-16 unit
    const most = text.length * 3;
    if (most > BLOCK) {
      this.flush();
      const pos = this.written;
      try {
        if (!this.failed) this.written += this.writeAt(Buffer.from(text, 'utf8'), pos);
      } catch {
        this.failed = { pos, block: Buffer.alloc(0) };
      }
      return this.failed ? text : { pos, bytes: this.written - pos };
    }
    if (this.outUsed + most > BLOCK) this.flush();
    if (this.failed) return text;
    this.out ??= Buffer.allocUnsafeSlow(BLOCK);
    const bytes = this.out.write(text, this.outUsed, 'utf8');
    this.outUsed += bytes;
    return { pos: this.written + this.outUsed - bytes, bytes };
  }

  /**
   * The file's descriptor for the diff thread (engine/diff-thread.ts), which writes it from offset
   * 0 and says how far (wroteTo): a spill file it writes is never put to on this thread.
   */
  descriptor(): number {
    return (this.handle ??= this.create()).fd;
  }

  /** The diff thread wrote the file up to `end`: its slots before that can be read. */
  wroteTo(end: number): void {
    if (end > this.written) this.written = end;
  }

  get(slot: Slot): string {
    const b = this.bytes(slot);
    return typeof b === 'string' ? b : b.toString('utf8');
  }

  /**
   * A text as stored, without decoding it: its UTF-8 bytes as a view into this file's buffers,
   * valid until the next `get` or `bytes` (copy them before), or the text itself when it is
   * held as a string (not well-formed, or the spill file failed). For copying a stored text to
   * its destination (a dry run's diff) without a string per text.
   */
  bytes(slot: Slot): Buffer | string {
    if (typeof slot === 'string') return slot;
    const { pos, bytes } = slot;
    if (bytes === 0) return EMPTY;
    if (pos >= this.written) return this.out!.subarray(pos - this.written, pos - this.written + bytes);
    const f = this.failed;
    if (f && pos >= f.pos) return f.block.subarray(pos - f.pos, pos - f.pos + bytes);
    if (pos < this.windowPos || pos + bytes > this.windowPos + this.windowLen) {
      if (bytes > BLOCK) return this.readAt(Buffer.allocUnsafe(bytes), pos, bytes);
      this.window ??= Buffer.allocUnsafeSlow(BLOCK);
      this.windowPos = pos;
      this.windowLen = Math.min(BLOCK, this.written - pos);
      this.readAt(this.window, pos, this.windowLen);
    }
    return this.window!.subarray(pos - this.windowPos, pos - this.windowPos + bytes);
  }

  private flush(): void {
    if (this.outUsed === 0 || this.failed) return;
    const block = this.out!.subarray(0, this.outUsed);
    try {
      this.writeAt(block, this.written);
    } catch {
      // keep the block its slots point into; nothing more goes to the file
      this.failed = { pos: this.written, block };
      this.out = undefined;
    }
    this.written += this.outUsed;
    this.outUsed = 0;
  }

  private writeAt(buf: Buffer, pos: number): number {
    const fd = (this.handle ??= this.create()).fd;
    let done = 0;
    while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done, pos + done);
    return buf.length;
  }

  private readAt(buf: Buffer, pos: number, length: number): Buffer {
    let got = 0;
    while (got < length) {
      const n = readSync(this.handle!.fd, buf, got, length - got, pos + got);
      if (n === 0) throw new Error('spill file truncated');
      got += n;
    }
    return buf;
  }

  private create(): Handle {
    const path = join(tmpdir(), `ssot-migrate-spill-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const fd = openSync(path, 'wx+', 0o600);
    let h: Handle = { fd };
    // unlinked at once where an open file may be: nothing is left behind, whatever ends the process
    try {
      unlinkSync(path);
    } catch {
      h = { fd, path };
      open.add(h);
      if (!exitHook) {
        exitHook = true;
        process.once('exit', () => [...open].forEach(release));
      }
    }
    closer.register(this, h);
    return h;
  }
}

/** Whether `o`'s texts are read back on each access (a spilled result or a view of one): copy it with `spilledView`, not by value. */
export function isSpilled(o: object): boolean {
  return o instanceof SpilledResult || o instanceof SpilledView;
}

/**
 * A changed file's result with its original and diff stored in a spill file and its new text
 * spliced again from the original on each read (the same string: applyEdits is deterministic).
 * Reading `before`, `after` or `diff` costs a read of the file: a caller that needs one several
 * times keeps it. A class, its getters on the prototype: per-object accessors (closures, accessor
 * pairs, dictionary-mode objects) cost ~12 MiB over the bench's 16,326 changed files.
 */
class SpilledResult implements ExpandedFile {
  readonly report: ExpandedFile['report'];
  edits?: number;
  readonly data?: unknown;
  #spill: SpillFile;
  #before: Slot;
  #diff: Slot | undefined;
  readonly #splices: readonly Edit[];

  /** `text` undefined: put by the diff thread, settled when it answers (engine/diff-thread.ts). */
  constructor(r: Omit<CompactProcessedFile, 'splices'>, text: string | undefined, splices: readonly Edit[], spill: SpillFile) {
    this.report = r.report;
    if (r.edits !== undefined) this.edits = r.edits;
    if (r.data !== undefined) this.data = r.data;
    this.#spill = spill;
    this.#before = text === undefined ? '' : spill.put(text);
    this.#diff = r.diff === undefined ? undefined : spill.put(r.diff);
    this.#splices = splices;
  }

  /** Where the diff thread put the original and the diff, and the diff's changed regions (or, when it could not, this thread's spill). */
  settle(spill: SpillFile, before: Slot, diff: Slot, edits: number): void {
    this.#spill = spill;
    this.#before = before;
    this.#diff = diff;
    this.edits = edits;
  }

  get before(): string {
    return this.#spill.get(this.#before);
  }

  get after(): string {
    return applyEdits(this.before, this.#splices);
  }

  get diff(): string | undefined {
    return this.#diff === undefined ? undefined : this.#spill.get(this.#diff);
  }

  /** SpillFile.bytes of `before` or `diff` (undefined: no diff). */
  storedBytes(field: 'before' | 'diff'): Uint8Array | string | undefined {
    const slot = field === 'before' ? this.#before : this.#diff;
    return slot === undefined ? undefined : this.#spill.bytes(slot);
  }
}

export function spillProcessed(r: Omit<CompactProcessedFile, 'splices'>, text: string, splices: readonly Edit[], spill: SpillFile): ExpandedFile {
  return new SpilledResult(r, text, splices, spill);
}

/** A spilled result whose original and diff (none yet in `r`) the diff thread puts: settled by it (engine/diff-thread.ts), read only after. */
export function pendingSpilled(r: Omit<CompactProcessedFile, 'splices' | 'diff' | 'edits'>, splices: readonly Edit[], spill: SpillFile): SpilledResult {
  return new SpilledResult(r, undefined, splices, spill);
}

export type { SpilledResult };

/**
 * A view of a spilled object whose text fields (`before`, `after`, `content`, `diff`) read
 * through to `src`'s, renamed by `map` (e.g. a write's `content` is a change's `after`); its
 * other fields are `fields`, copied. A class, its getters on the prototype (per-object accessors
 * took ~0.2 s of CPU for the bench's 3 x 16,326 views). Spreading a view drops those fields: copy
 * it with spilledView again.
 */
class SpilledView {
  readonly #src: Record<string, unknown>;
  readonly #map: Readonly<Partial<Record<TextField, string>>>;

  constructor(src: object, map: Readonly<Partial<Record<TextField, string>>>, fields: object) {
    Object.assign(this, fields);
    this.#src = src as Record<string, unknown>;
    this.#map = map;
  }

  #read(field: TextField): unknown {
    const from = this.#map[field];
    return from === undefined ? undefined : this.#src[from];
  }

  /** The object and field `field` reads through to (spilledBytes), undefined when it maps none. */
  source(field: TextField): { src: object; field: string } | undefined {
    const from = this.#map[field];
    return from === undefined ? undefined : { src: this.#src, field: from };
  }

  get before(): unknown {
    return this.#read('before');
  }

  get after(): unknown {
    return this.#read('after');
  }

  get content(): unknown {
    return this.#read('content');
  }

  get diff(): unknown {
    return this.#read('diff');
  }
}

type TextField = 'before' | 'after' | 'content' | 'diff';

/**
 * `o[field]` as SpillFile.bytes gives it for a text of a spilled result (through any views of
 * it): UTF-8 bytes valid until the spill file is read again, copied by the caller at once; any
 * other text (not spilled, or rebuilt on access: `after`) as its string; undefined when absent.
 */
export function spilledBytes(o: object, field: TextField): Uint8Array | string | undefined {
  if (o instanceof SpilledView) {
    const from = o.source(field);
    return from === undefined ? undefined : spilledBytes(from.src, from.field as TextField);
  }
  if (o instanceof SpilledResult && (field === 'before' || field === 'diff')) return o.storedBytes(field);
  const v = (o as Record<string, unknown>)[field];
  return typeof v === 'string' ? v : undefined;
}

/**
 * `fields` plus each `[field, from]` of `map` read through to `src[from]` on access (a copy by
 * value would read every spilled text at once).
 */
export function spilledView<S extends object, F extends object, M extends Partial<Record<TextField, keyof S & string>>>(src: S, map: M, fields: F): F & { [K in keyof M]: K extends keyof M ? S[M[K] & keyof S] : never } {
  return new SpilledView(src, map, fields) as unknown as F & { [K in keyof M]: K extends keyof M ? S[M[K] & keyof S] : never };
}
