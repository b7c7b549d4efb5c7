/**
 * The diff thread of a large in-process run (engine/run.ts transformAll, from WORKER_MIN_FILES
 * to parse with no pool worker: every run on 2 cores): each changed file's unified diff built from
 * its splices, and its original and diff written to the spill file (engine/spill.ts), on a thread
 * of their own (diff-worker.js) instead of the main thread, which parses and transforms the next
 * files meanwhile. On the bench's 100% tree (16,326 changed files) that work was ~10% of the main
 * thread's CPU, the critical path of the run, while V8's threads and the read-ahead thread keep
 * the second core only about half busy. The thread loads no TypeScript (jsdiff and two plain
 * modules), so it costs no second JIT warm-up of the parser as a pool worker does.
 *
 * The main thread hands over a changed file (add) only while fewer than IN_FLIGHT batches are
 * unanswered, else builds that file's diff and spills it itself as before (a thread left behind
 * on a loaded machine never holds more than IN_FLIGHT batches of texts); `finish` waits for the
 * answers, and does a batch itself when the thread has answered nothing for STALL_MS (descheduled,
 * or dead). The result is the same either way: the same diff, byte for byte, from the same
 * splices (diff-edits.js), the same texts read back from the spill file.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { createDiffFromEdits } from './diff-edits.js';
import { applyEdits } from './edits.js';
import type { CompactProcessedFile, ExpandedFile } from './process.js';
import { pendingSpilled, type Slot, type SpilledResult, SpillFile } from './spill.js';
import type { Edit } from './types.js';

/** Changed files per message (~130 KB of texts on the bench). */
const BATCH = 64;
/** Batches handed over and not answered yet beyond which the main thread diffs a file itself. */
const IN_FLIGHT = 16;
/** The thread's young generation: it holds one batch's texts and diffs at a time. */
const DIFF_YOUNG_MB = 4;
/**
 * Longest wait in `finish` for the thread's next answer before the main thread does what is left itself
 * (a batch takes the thread ~1-3 ms warm; its first, cold, took over 50 ms in a test at load 13).
 */
const STALL_MS = 500;
/** The same before the thread has started (loaded its modules): it is given longer. */
const START_MS = 2000;

interface Item {
  result: SpilledResult;
  text: string;
  splices: readonly Edit[];
}

export class DiffThread {
  /** The file the thread writes; read here once it has answered. */
  private readonly spill = new SpillFile();
  /** [0] batches the thread answered, [1] 1 once it has started. */
  private readonly shared = new Int32Array(new SharedArrayBuffer(8));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private batch: Item[] = [];
  private readonly inFlight = new Map<number, Item[]>();
  private nextId = 0;
  /** Answers taken so far (the thread counts its answers in shared[0]). */
  private answered = 0;
  /** Batches done here instead (a stall in finish): their late answers are dropped. */
  private readonly takenBack = new Set<number>();
  /** Files whose diff the thread built (tests, diagnostics). */
  threadFiles = 0;

  private constructor(entry: URL) {
    const fd = this.spill.descriptor();
    const { port1, port2 } = new MessageChannel();
    this.worker = new Worker(entry, {
      workerData: { fd, port: port2, shared: this.shared.buffer },
      transferList: [port2],
      stdout: false,
      resourceLimits: { maxYoungGenerationSizeMb: DIFF_YOUNG_MB },
    });
    // a failed thread is worked around (finish does its batches here), never thrown at the run
    this.worker.on('error', () => {});
    this.worker.unref();
    this.port = port1;
  }

  /**
   * A started diff thread, or undefined when none can be (no spill file, no thread): the caller diffs every file itself.
   * `entry`: the thread's module (tests: one that never answers).
   */
  static start(entry: URL = new URL('./diff-worker.js', import.meta.url)): DiffThread | undefined {
    try {
      return new DiffThread(entry);
    } catch {
      return undefined;
    }
  }

  /** Whether a changed file can be handed over now: false when IN_FLIGHT batches are unanswered (the caller diffs it itself). */
  get accepting(): boolean {
    if (this.inFlight.size < IN_FLIGHT) return true;
    this.take();
    return this.inFlight.size < IN_FLIGHT;
  }

  /**
   * A changed file whose diff and changed regions the thread builds, its original and diff
   * spilled there: the result reads them once `finish` has returned.
   */
  add(r: Omit<CompactProcessedFile, 'splices'>, text: string, splices: readonly Edit[]): ExpandedFile {
    const result = pendingSpilled(r, splices, this.spill);
    this.batch.push({ result, text, splices });
    if (this.batch.length === BATCH) this.send();
    return result;
  }

  /**
   * Hands over what is left, then waits for every answer (settling each result); a batch still
   * unanswered after STALL_MS without an answer (START_MS before the thread has started) is done here, spilled to `local` (this thread's
   * spill file). Ends the thread.
   */
  finish(local: SpillFile): void {
    this.send();
    let waited = 0;
    while (this.inFlight.size > 0) {
      const seen = Atomics.load(this.shared, 0);
      if (this.take()) {
        waited = 0;
        continue;
      }
      if (waited >= (Atomics.load(this.shared, 1) === 1 ? STALL_MS : START_MS)) {
        for (const [id, items] of this.inFlight) {
          this.takenBack.add(id);
          for (const it of items) {
            const { diff, edits } = createDiffFromEdits(it.result.report.file, it.text, applyEdits(it.text, it.splices), it.splices);
            it.result.settle(local, local.put(it.text), local.put(diff), edits);
          }
        }
        this.inFlight.clear();
        break;
      }
      if (Atomics.wait(this.shared, 0, seen, 5) === 'timed-out') waited += 5;
    }
    this.close();
  }

  /** Ends the thread (after finish, or a run that throws). */
  close(): void {
    try {
      this.port.postMessage({ close: true });
    } catch {
      // closed already
    }
    this.port.close();
    void this.worker.terminate();
  }

  private send(): void {
    const items = this.batch;
    if (items.length === 0) return;
    this.batch = [];
    const files: string[] = [];
    const texts: string[] = [];
    // per file: its splice count, then each splice's start and end; their texts in `splices`
    const nums: number[] = [];
    const splices: string[] = [];
    for (const it of items) {
      files.push(it.result.report.file);
      texts.push(it.text);
      nums.push(it.splices.length);
      for (const e of it.splices) {
        nums.push(e.start, e.end);
        splices.push(e.text);
      }
    }
    const id = this.nextId++;
    this.inFlight.set(id, items);
    this.port.postMessage({ id, files, texts, nums, splices });
    // the answers so far, so that the texts they held die young (held across this thread's next scavenges, they filled its old generation)
    this.take();
  }

  /** Takes the answers waiting; false when there were none. */
  private take(): boolean {
    if (Atomics.load(this.shared, 0) === this.answered) return false;
    let any = false;
    for (let m = receiveMessageOnPort(this.port); m !== undefined; m = receiveMessageOnPort(this.port)) {
      this.answered++;
      any = true;
      const { id, out, held } = m.message as { id: number; out: number[]; held: string[] };
      const items = this.inFlight.get(id);
      if (items === undefined || this.takenBack.has(id)) continue;
      this.inFlight.delete(id);
      let end = 0;
      const slot = (k: number): Slot => {
        if (out[k] === -1) return held[out[k + 1]!]!;
        const pos = out[k]!;
        const bytes = out[k + 1]!;
        if (pos + bytes > end) end = pos + bytes;
        return { pos, bytes };
      };
      items.forEach((it, f) => {
        const before = slot(f * 5);
        const diff = slot(f * 5 + 2);
        it.result.settle(this.spill, before, diff, out[f * 5 + 4]!);
      });
      this.spill.wroteTo(end);
      this.threadFiles += items.length;
    }
    return any;
  }
}
