/**
 * The candidates' texts in list order of chunks, read by the main thread and a read-ahead thread
 * (read-worker.js) together. Reading is a fixed cost of every syntax phase (~0.24 s of the main
 * thread's CPU for the bench's 20,000 files, the same as its read-every-file floor) while only a
 * few percent of the files pass the prefilter: the thread reads the next chunks while the main
 * thread parses, and the main thread reads a chunk itself whenever none is waiting (at the start,
 * while the thread boots, or on a machine with no core to spare), so it never waits on a thread
 * that has fallen behind. Chunks arrive out of list order (the caller sorts its results).
 *
 * With a transform's prefilter tokens, each file is filtered where it is read (source-text.js
 * readCandidate): only the few texts that pass cross to the main thread, the rest come as
 * `{ filtered: true }` — at 5% affected the thread held ~15 MB of text per run that the main
 * thread deserialized, searched and collected (30-50 ms of its CPU on the bench's tree).
 *
 * Claims go through one shared counter, so each chunk is read once; the thread stays at most
 * WINDOW chunks ahead of what the main thread has taken (at 100% affected nothing piles up in
 * memory). When every chunk is claimed and the main thread waits on the thread's last one (one
 * at most: it claims as it reads), it waits STALL_MS at most, then reads it again itself (a
 * thread descheduled on a loaded machine, or dead); a late copy is dropped.
 */
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { readCandidate, type CandidateText } from './source-text.js';

/** Files per claim: ~1 ms of reading, small enough that the main thread's first claims cover the thread's start. */
const CHUNK = 64;
/** Chunks the thread may read beyond what the main thread has taken (~1,000 files, ~1 MB of text on the bench). */
const WINDOW = 16;
/** Below this many files the thread's start (~30 ms of CPU) costs more than their reading. */
export const READ_AHEAD_MIN_FILES = 2000;
/** Longest wait for the thread's last chunk, which the main thread reads in ~1 ms itself. */
const STALL_MS = 20;

export interface SourceRead {
  file: string;
  read: CandidateText;
}

export class ReadAhead {
  private readonly shared = new Int32Array(new SharedArrayBuffer(16));
  private readonly chunks: number;
  private readonly done: Uint8Array;
  private doneCount = 0;
  private port: MessagePort | undefined;
  private worker: Worker | undefined;
  private started = false;
  /** Chunks the thread read that were used (tests, diagnostics). */
  threadChunks = 0;
  private buffer: SourceRead[] = [];
  private at = 0;

  /** `tokens`: the prefilter applied as files are read (readCandidate); none: every text is handed on. */
  constructor(
    private readonly repoDir: string,
    private readonly files: readonly string[],
    private readonly tokens?: readonly string[],
  ) {
    this.chunks = Math.ceil(files.length / CHUNK);
    this.done = new Uint8Array(this.chunks);
  }

  /**
   * Starts the thread (once), if READ_AHEAD_MIN_FILES are left to read: until then, and without
   * it, the main thread reads every chunk. The caller starts it when it parses while it reads
   * (engine/run.ts): a run that hands its parsing to the pool reads on the main thread between
   * batches, where a third thread would only add its memory.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    if ((this.chunks - Atomics.load(this.shared, 0)) * CHUNK < READ_AHEAD_MIN_FILES) return;
    const { port1, port2 } = new MessageChannel();
    try {
      const worker = new Worker(new URL('./read-worker.js', import.meta.url), {
        workerData: { repoDir: this.repoDir, files: this.files, tokens: this.tokens, chunk: CHUNK, window: WINDOW, shared: this.shared.buffer, port: port2 },
        transferList: [port2],
        stdout: false,
      });
      // a failed thread is read around (its chunks are read again), never thrown at the run
      worker.on('error', () => {});
      worker.unref();
      this.port = port1;
      this.worker = worker;
    } catch {
      port1.close(); // no thread: the main thread reads every chunk
    }
  }

  /** The next file with its text (or why it has none), or undefined when every chunk is read. */
  next(): SourceRead | undefined {
    while (this.at === this.buffer.length) {
      if (!this.fill()) return undefined;
    }
    const r = this.buffer[this.at]!;
    this.buffer[this.at++] = undefined as unknown as SourceRead; // its text is the caller's now
    return r;
  }

  /** Chunks the thread has posted so far. */
  get posted(): number {
    return Atomics.load(this.shared, 1);
  }

  /** Stops the thread (a run that ends early, or a throw). */
  close(): void {
    Atomics.store(this.shared, 3, 1);
    Atomics.notify(this.shared, 2);
    this.port?.close();
    void this.worker?.terminate();
  }

  private fill(): boolean {
    if (this.takePosted()) return true;
    const c = Atomics.add(this.shared, 0, 1);
    if (c < this.chunks) {
      this.readLocally(c);
      return true;
    }
    // every chunk is claimed: wait for the thread's last ones
    let waited = 0;
    while (this.doneCount < this.chunks) {
      const posted = Atomics.load(this.shared, 1);
      if (this.takePosted()) return true;
      if (waited >= STALL_MS || this.port === undefined) {
        for (let k = 0; k < this.chunks; k++) if (this.done[k] === 0) this.readLocally(k);
        return true;
      }
      if (Atomics.wait(this.shared, 1, posted, 2) === 'timed-out') waited += 2;
    }
    this.close();
    return false;
  }

  /** Takes one chunk the thread posted; false when none is waiting. */
  private takePosted(): boolean {
    if (this.port === undefined) return false;
    for (;;) {
      const m = receiveMessageOnPort(this.port) as { message: { c: number; reads: CandidateText[] } } | undefined;
      if (m === undefined) return false;
      Atomics.add(this.shared, 2, 1);
      Atomics.notify(this.shared, 2);
      const { c, reads } = m.message;
      if (this.done[c] === 1) continue; // read again by the main thread after a stall
      this.markDone(c);
      this.threadChunks++;
      this.append(reads.map((read, i) => ({ file: this.files[c * CHUNK + i]!, read })));
      return true;
    }
  }

  private readLocally(c: number): void {
    this.markDone(c);
    const end = Math.min(this.files.length, (c + 1) * CHUNK);
    const out: SourceRead[] = [];
    for (let i = c * CHUNK; i < end; i++) out.push({ file: this.files[i]!, read: readCandidate(join(this.repoDir, this.files[i]!), this.tokens) });
    this.append(out);
  }

  /** Queues reads after those not handed out yet (a stall's re-reads come several at once). */
  private append(reads: SourceRead[]): void {
    this.buffer = this.at === this.buffer.length ? reads : this.buffer.slice(this.at).concat(reads);
    this.at = 0;
  }

  private markDone(c: number): void {
    this.done[c] = 1;
    this.doneCount++;
  }
}
