/**
 * Worker threads hand their telemetry to the main thread, so it survives `worker.terminate()`
 * (which runs no JavaScript in the worker: no exit event, no timer) and reaches the process's
 * Prometheus metrics, which are served from the main thread.
 *
 * Over BroadcastChannels, which every thread of a process can open by name without the app's
 * help (the shim does not create the workers):
 * - control: a collector (the main thread's process-wide runtime) announces itself and answers
 *   each worker's `hello`; it says `collector-gone` when it closes.
 * - data: a connected worker posts its use deltas and installed ids soon after each use (one post
 *   per event-loop turn that had a use) and at each flush. It opens the data channel only to post
 *   and closes it at once, so workers never receive each other's posts.
 *
 * Posted messages sit in the main thread's queue until delivered; at exit, where there is no next
 * tick, the collector takes them synchronously (`receiveMessageOnPort`). What a worker loses when
 * terminated is the use of its current turn (not yet posted) and its method calls since the last
 * post. A worker whose main thread runs no collector writes its own file instead.
 */
import { BroadcastChannel, receiveMessageOnPort, threadId } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { noteInstalled } from './coverage.js';
import type { Telemetry, UseDelta } from './telemetry.js';

const CONTROL = 'ssot-migrate:shim-telemetry:control';
const DATA = 'ssot-migrate:shim-telemetry:data';

type ControlMessage = { t: 'collector' } | { t: 'collector-gone' } | { t: 'hello'; thread: number };

interface UseMessage {
  t: 'use';
  thread: number;
  ids: string[];
  deltas: UseDelta[];
}

function isUseMessage(value: unknown): value is UseMessage {
  const m = value as Partial<UseMessage> | null;
  return typeof m === 'object' && m !== null && m.t === 'use' && Array.isArray(m.deltas) && Array.isArray(m.ids);
}

let activeCollector: WorkerCollector | undefined;

/** Main-thread side: merges what worker threads post into a Telemetry. The latest one in a thread wins. */
export class WorkerCollector {
  private readonly control = new BroadcastChannel(CONTROL);
  private readonly data = new BroadcastChannel(DATA);
  private closed = false;
  /** Messages merged (for tests and the dashboard). */
  received = 0;

  constructor(private readonly telemetry: Telemetry) {
    activeCollector?.close();
    activeCollector = this;
    this.data.onmessage = (event) => this.accept((event as MessageEvent).data);
    this.control.onmessage = (event) => {
      if (((event as MessageEvent).data as ControlMessage | undefined)?.t === 'hello') this.control.postMessage({ t: 'collector' } satisfies ControlMessage);
    };
    // Never keep the process alive for telemetry.
    this.data.unref();
    this.control.unref();
    this.control.postMessage({ t: 'collector' } satisfies ControlMessage);
  }

  /** Merges every message already posted, synchronously (at exit there is no next tick). */
  pull(): void {
    if (this.closed) return;
    // Node accepts a BroadcastChannel here (since 15.12); @types/node 20 declares MessagePort only.
    const port = this.data as unknown as MessagePort;
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) this.accept(m.message);
  }

  close(): void {
    if (this.closed) return;
    this.pull();
    this.closed = true;
    this.control.postMessage({ t: 'collector-gone' } satisfies ControlMessage);
    this.data.close();
    this.control.close();
    if (activeCollector === this) activeCollector = undefined;
  }

  private accept(message: unknown): void {
    if (this.closed || !isUseMessage(message)) return;
    this.received++;
    try {
      for (const id of message.ids) noteInstalled(id);
      for (const d of message.deltas) this.telemetry.absorb(d);
    } catch {
      // A malformed post (another version of the shim) never breaks the main thread.
    }
  }
}

/** Worker side: knows whether a collector listens, and posts deltas to it. */
export class MainThreadLink {
  private readonly control = new BroadcastChannel(CONTROL);
  private connectedNow = false;
  private closed = false;

  /** `onConnect` runs when a collector answers (the sink hands its file over then). */
  constructor(private readonly onConnect: () => void = () => {}) {
    this.control.onmessage = (event) => {
      const t = ((event as MessageEvent).data as ControlMessage | undefined)?.t;
      if (t === 'collector' && !this.connectedNow) {
        this.connectedNow = true;
        this.onConnect();
      } else if (t === 'collector-gone') this.connectedNow = false;
    };
    this.control.unref();
    this.control.postMessage({ t: 'hello', thread: threadId } satisfies ControlMessage);
  }

  get connected(): boolean {
    return this.connectedNow && !this.closed;
  }

  /** Posts deltas; false when no collector listens (the caller keeps them for its file). */
  post(deltas: UseDelta[], ids: readonly string[]): boolean {
    if (!this.connected) return false;
    const data = new BroadcastChannel(DATA);
    try {
      data.postMessage({ t: 'use', thread: threadId, ids: [...ids], deltas } satisfies UseMessage);
      return true;
    } catch {
      return false;
    } finally {
      data.close();
    }
  }

  close(): void {
    this.closed = true;
    this.control.close();
  }
}
