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

/** Texts queued before one write (a write per file would be ~16,000 system calls at 100%). */
const FLUSH_CHARS = 256 * 1024;

/** Where a text is: a place in the file, or the text itself when UTF-8 would not give it back. */
type Slot = { pos: number; bytes: number } | string;

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
  /** Bytes written or queued: the position of the next text. */
  private end = 0;
  /** Bytes on disk; queued texts start here. */
  private written = 0;
  private queued: string[] = [];
  private queuedChars = 0;

  /** Stores a text; read it back with `get`. */
  put(text: string): Slot {
    // a lone surrogate would come back from UTF-8 as U+FFFD: such a text stays in memory
    if (!(text as unknown as { isWellFormed(): boolean }).isWellFormed()) return text;
    const bytes = Buffer.byteLength(text, 'utf8');
    const slot = { pos: this.end, bytes };
    this.end += bytes;
    this.queued.push(text);
    this.queuedChars += text.length;
    if (this.queuedChars >= FLUSH_CHARS) this.flush();
    return slot;
  }

  get(slot: Slot): string {
    if (typeof slot === 'string') return slot;
    if (slot.pos + slot.bytes > this.written) this.flush();
    const buf = Buffer.allocUnsafe(slot.bytes);
    let got = 0;
    while (got < slot.bytes) {
      const n = readSync(this.handle!.fd, buf, got, slot.bytes - got, slot.pos + got);
      if (n === 0) throw new Error('spill file truncated');
      got += n;
    }
    return buf.toString('utf8');
  }

  private flush(): void {
    if (this.queued.length === 0) return;
    const h = (this.handle ??= this.create());
    const chunk = Buffer.from(this.queued.join(''), 'utf8');
    this.queued = [];
    this.queuedChars = 0;
    let done = 0;
    while (done < chunk.length) done += writeSync(h.fd, chunk, done, chunk.length - done, this.written + done);
    this.written += chunk.length;
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

/** Objects whose texts are read back on each access (`isSpilled`): copy them with `spilledView`, not by value. */
const spilled = new WeakSet<object>();

export function isSpilled(o: object): boolean {
  return spilled.has(o);
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
  readonly edits?: number;
  readonly data?: unknown;
  readonly #spill: SpillFile;
  readonly #before: Slot;
  readonly #diff: Slot | undefined;
  readonly #splices: readonly Edit[];

  constructor(r: Omit<CompactProcessedFile, 'splices'>, text: string, splices: readonly Edit[], spill: SpillFile) {
    this.report = r.report;
    if (r.edits !== undefined) this.edits = r.edits;
    if (r.data !== undefined) this.data = r.data;
    this.#spill = spill;
    this.#before = spill.put(text);
    this.#diff = r.diff === undefined ? undefined : spill.put(r.diff);
    this.#splices = splices;
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
}

export function spillProcessed(r: Omit<CompactProcessedFile, 'splices'>, text: string, splices: readonly Edit[], spill: SpillFile): ExpandedFile {
  const out = new SpilledResult(r, text, splices, spill);
  spilled.add(out);
  return out;
}

/**
 * `fields` plus, for each `[key, from]` of `map` that `src` has, `key` read through to
 * `src[from]` on access (a copy by value would read every spilled text at once). Marked spilled
 * itself when `src` is.
 */
export function spilledView<S extends object, F extends object, M extends Record<string, keyof S & string>>(src: S, map: M, fields: F): F & { [K in keyof M]: S[M[K]] } {
  const out = { ...fields } as F & { [K in keyof M]: S[M[K]] };
  for (const [key, from] of Object.entries(map)) if (from in src) Object.defineProperty(out, key, { get: () => src[from as keyof S], enumerable: true });
  if (spilled.has(src)) spilled.add(out);
  return out;
}
