/**
 * Follows telemetry JSONL files as processes append to them: reads each file from where it
 * left off, hands over whole lines only (a line still being written waits for its newline),
 * starts over when a file shrinks (rotated or truncated), and picks up new *.jsonl files that
 * appear in a watched directory. `fs.watch` for speed, a poll as the fallback (network file
 * systems, dropped events); both unref'd.
 */
import { watch, type FSWatcher } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
// Not re-exported from shim/index.ts: the line validator the `telemetry` CLI uses.
import { isCoverageLine, parseTelemetryRecord } from '../../shim/telemetry-report.js';
import type { TelemetryLine } from '../../shim/telemetry.js';

export interface TailOptions {
  pollMs?: number;
  onLines: (lines: TelemetryLine[]) => void;
  onSkipped?: (file: string, reason: string) => void;
}

interface FileState {
  offset: number;
  partial: Buffer;
}

export class JsonlTail {
  private readonly files = new Map<string, FileState>();
  private readonly dirs: string[] = [];
  private readonly watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private pending = false;
  private closed = false;
  lines = 0;
  skipped = 0;

  constructor(private readonly paths: string[], private readonly options: TailOptions) {}

  /** Reads everything there is now, then follows. A path that does not exist is an error. */
  async start(): Promise<void> {
    for (const p of this.paths.map((x) => resolve(x))) {
      let s;
      try {
        s = await stat(p);
      } catch {
        throw new Error(`telemetry path ${p} does not exist`);
      }
      if (s.isDirectory()) this.dirs.push(p);
      else this.files.set(p, { offset: 0, partial: Buffer.alloc(0) });
    }
    await this.scan();
    for (const target of [...this.dirs, ...this.files.keys()]) {
      try {
        const w = watch(target, { persistent: false }, () => this.schedule());
        w.on('error', () => w.close());
        this.watchers.push(w);
      } catch {
        // Polling still covers it.
      }
    }
    this.timer = setInterval(() => this.schedule(), this.options.pollMs ?? 500);
    this.timer.unref();
  }

  /** Reads what was appended since the last read (also what the watchers trigger). */
  refresh(): Promise<void> {
    this.chain = this.chain.then(() => this.scan());
    return this.chain;
  }

  get fileList(): string[] {
    return [...this.files.keys()];
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const w of this.watchers) w.close();
  }

  private schedule(): void {
    if (this.pending || this.closed) return;
    this.pending = true;
    this.chain = this.chain.then(async () => {
      this.pending = false;
      await this.scan();
    });
  }

  private async scan(): Promise<void> {
    for (const dir of this.dirs) {
      let names: string[] = [];
      try {
        names = await readdir(dir);
      } catch {
        continue;
      }
      for (const n of names.filter((n) => n.endsWith('.jsonl')).sort()) {
        const file = join(dir, n);
        if (!this.files.has(file)) this.files.set(file, { offset: 0, partial: Buffer.alloc(0) });
      }
    }
    const out: TelemetryLine[] = [];
    for (const [file, state] of this.files) await this.readNew(file, state, out);
    if (out.length) {
      this.lines += out.length;
      this.options.onLines(out);
    }
  }

  private async readNew(file: string, state: FileState, out: TelemetryLine[]): Promise<void> {
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch {
      return; // removed: keep what was read
    }
    if (size < state.offset) {
      state.offset = 0;
      state.partial = Buffer.alloc(0);
    }
    if (size === state.offset) return;
    const handle = await open(file, 'r');
    let chunk: Buffer;
    try {
      chunk = Buffer.alloc(size - state.offset);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, state.offset);
      chunk = chunk.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
    state.offset += chunk.length;
    const data = state.partial.length ? Buffer.concat([state.partial, chunk]) : chunk;
    const end = data.lastIndexOf(0x0a);
    state.partial = Buffer.from(end < 0 ? data : data.subarray(end + 1));
    if (end < 0) return;
    for (const text of data.subarray(0, end).toString('utf8').split('\n')) {
      if (text.trim() === '') continue;
      const parsed = parseTelemetryRecord(text);
      if (typeof parsed === 'string') {
        this.skipped++;
        this.options.onSkipped?.(file, parsed);
      } else if (!isCoverageLine(parsed)) out.push(parsed); // coverage lines feed verdicts, not the use table

    }
  }
}
