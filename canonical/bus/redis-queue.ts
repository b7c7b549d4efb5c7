/**
 * The Redis bus's bounded, ordered outbox. Every publish goes through it, so the same code path
 * serves "Redis is up" (a pipelined window of batches in flight) and "Redis is down" (publishes
 * wait here and flush in submission order once the connection is ready again).
 *
 * Batching: publishes enqueued in the same tick leave together, as one batch (one script call:
 * `sendBatch`), at the end of the tick (process.nextTick, as ioredis's auto-pipelining) — as two
 * calls when the connection is idle and the tick holds `splitBatchFrom` or more (see flush()). Each item
 * of a batch answers on its own (a value or an error), so one refused item fails only itself and
 * the later items of its group; an error of the whole call (connection lost) counts for each item.
 *
 * Overflow policy: when `maxBuffered` publishes or `maxBufferedBytes` of payload are already
 * waiting, a new publish is refused at once with BusUnavailableError('buffer-full'). Nothing
 * already accepted is ever dropped; a publish only fails with a typed error its caller sees.
 */
import type { Redis } from 'ioredis';
import { BusUnavailableError } from './redis-errors.js';

export interface OutboxOptions<I = unknown> {
  maxBuffered: number;
  maxBufferedBytes: number;
  /** Publishes on the wire at once (pipelining window, over all batches in flight). */
  maxInFlight: number;
  /** Publishes per batch (one script call) at most. */
  maxBatch: number;
  /**
   * A flush with no call in flight and at least this many publishes waiting sends them as two
   * calls (halves) instead of one; 0: never. See flush().
   */
  splitBatchFrom: number;
  /**
   * Items with one key stay in one call, in order, when a flush is split (the bus: an event's user,
   * so a user's items of the tick keep one pack and the lean path); undefined for an item that must
   * not move (the flush is then sent unsplit).
   */
  splitKey?: (item: I) => string | undefined;
  /**
   * Items with one link must have one splitKey, or the flush is sent unsplit (the bus: an event's
   * run id — another user's publish into a run keeps its place against the owner's, so the order
   * that decides a new run's owner is the order of the emits).
   */
  splitLink?: (item: I) => string;
  /**
   * What an item's promise settles with, made from its answer within the settle (one hook per outbox,
   * not a `.then` per item: the bus builds an event's envelope here, so a publish costs one promise).
   * `value` must not throw; `error` maps a failure (every rejection, those at enqueue included).
   */
  answer?: {
    value(item: I, value: unknown): unknown;
    error(item: I, error: Error): unknown;
  };
  /** Backoff for retries while connected (Redis LOADING, an out-of-order refusal): base and cap. */
  retryBaseMs: number;
  retryMaxMs: number;
}

interface Op<I> {
  bytes: number;
  /** Ops of one group (a run's producer) fail together: a later one cannot apply without an earlier one. */
  group: string | undefined;
  item: I;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** One item's answer within a batch. */
export type ItemResult = { value: unknown; error?: undefined } | { value?: undefined; error: Error };

/**
 * Sends a batch of items (built at send time: a resend carries what was acknowledged meanwhile)
 * and resolves to one result per item, in order; rejects if the call as a whole failed. Must be
 * harmless to repeat (the bus's items are idempotent per producer).
 */
export type SendBatch<I> = (items: readonly I[]) => Promise<ItemResult[]>;

/** Errors after which resending is right: the connection went away or Redis said "not now". */
export function isTransientRedisError(error: unknown): boolean {
  if (!(error instanceof Error)) return true;
  if (error.name !== 'ReplyError') return true; // connection closed, stream not writeable, max retries…
  // NOSCRIPT: the script cache was flushed; the bus sends the script in full with the resend.
  return /^(LOADING|BUSY|TRYAGAIN|MASTERDOWN|READONLY|CLUSTERDOWN|NOSCRIPT|SSOT_ORDER|SSOT_LEASE)\b/.test(error.message);
}

/**
 * A transient refusal to resend at once, without backoff: the sender sends the item differently
 * next time (SSOT_LEASE: the write lease was lost, the resend is a full item), so waiting gains nothing.
 */
function isImmediateRetry(error: Error): boolean {
  return error.name === 'ReplyError' && error.message.startsWith('SSOT_LEASE');
}

/**
 * The settle functions of the promise being made (enqueue): one executor for every promise, not a
 * closure per publish.
 */
let capturedResolve: ((value: unknown) => void) | undefined;
let capturedReject: ((error: unknown) => void) | undefined;
function captureSettlers(resolve: (value: never) => void, reject: (error: unknown) => void): void {
  capturedResolve = resolve as (value: unknown) => void;
  capturedReject = reject;
}

/** How many keys (and links) halve() keeps between calls before it drops them all. */
const SPLIT_MEMO_MAX = 4096;

export class RedisOutbox<I> {
  private readonly ops: Op<I>[] = [];
  /** ops[0 .. sent-1] are on the wire or failed transiently; the rest were never sent this round. */
  private sent = 0;
  private inFlight = 0;
  private bytes = 0;
  private paused = false;
  private failures = 0;
  /** A transient failure since the last resume that calls for backoff (not only immediate retries). */
  private backoff = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly failedGroups = new Map<string, Error>();
  private closed = false;
  private drainWaiters: (() => void)[] = [];
  private flushScheduled = false;
  /** halve()'s per-key counts and per-link owners, kept between calls (marked by era). */
  private readonly splitCounts = new Map<string, { era: number; n: number; first: boolean }>();
  private readonly splitLinks = new Map<string, { era: number; key: string }>();
  private splitEra = 0;

  constructor(
    private readonly client: Redis,
    private readonly sendBatch: SendBatch<I>,
    private readonly options: OutboxOptions<I>,
  ) {}

  get size(): number {
    return this.ops.length;
  }

  get bufferedBytes(): number {
    return this.bytes;
  }

  /** Queues an item; it leaves with the other items of this tick, and again after a transient failure. */
  enqueue<T>(bytes: number, item: I, group?: string): Promise<T> {
    if (this.closed) return this.refused(item, new BusUnavailableError('closed', 'the Redis bus is closed'));
    if (this.ops.length >= this.options.maxBuffered || this.bytes + bytes > this.options.maxBufferedBytes) {
      return this.refused(
        item,
        new BusUnavailableError(
          'buffer-full',
          `Redis bus buffer full (${this.ops.length} publishes, ${this.bytes} bytes waiting; limits ${this.options.maxBuffered} / ${this.options.maxBufferedBytes}): publish refused, nothing dropped`,
        ),
      );
    }
    const promise = new Promise<T>(captureSettlers);
    this.ops.push({ bytes, group, item, resolve: capturedResolve!, reject: capturedReject! });
    capturedResolve = capturedReject = undefined;
    this.bytes += bytes;
    this.pump();
    return promise;
  }

  private refused<T>(item: I, error: Error): Promise<T> {
    return Promise.reject(this.options.answer === undefined ? error : this.options.answer.error(item, error));
  }

  /**
   * Queues items ahead of everything not on the wire yet (outside the byte and count bounds: they
   * replace what Redis lost). Settled like any other item.
   */
  prepend(entries: readonly { bytes: number; item: I; group?: string }[]): Promise<unknown>[] {
    if (this.closed || entries.length === 0) return [];
    const ops: Op<I>[] = [];
    const out = entries.map(
      (e) =>
        new Promise<unknown>((resolve, reject) => {
          ops.push({ bytes: e.bytes, group: e.group, item: e.item, resolve, reject });
        }),
    );
    this.ops.splice(this.sent, 0, ...ops);
    for (const op of ops) this.bytes += op.bytes;
    this.pump();
    return out;
  }

  /** Called when the client (re)connects: resume sending from the oldest unacknowledged publish. */
  onReady(): void {
    if (this.paused && this.inFlight === 0) this.resume();
    else this.pump();
  }

  /** Resolves once nothing is waiting, or after timeoutMs; true if drained. */
  drained(timeoutMs: number): Promise<boolean> {
    if (this.ops.length === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.ops.length === 0), timeoutMs);
      this.drainWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Rejects everything still waiting with BusUnavailableError('closed'). */
  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const error = new BusUnavailableError('closed', 'the Redis bus was closed before this publish reached Redis');
    for (const op of this.ops.splice(0)) this.reject(op, error);
    this.bytes = 0;
    this.sent = 0;
  }

  /** Sends what is waiting at the end of this tick, so everything enqueued in the tick shares a batch. */
  private pump(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    process.nextTick(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.closed || this.paused || this.client.status !== 'ready') return;
    // Two calls in flight instead of one when the connection is idle and the tick is large: Redis
    // runs the second half while this process handles the first half's answers (resolving emits
    // whose runs then publish their next events, delivering the subscribers' copies), so the two
    // overlap on a machine with a core free. Started from an idle connection only, the halves then
    // keep alternating (each half's next publishes leave while the other is in Redis) rather than
    // splitting again every round. One call in lockstep leaves Redis idle while this process works
    // and the other way round (canonical/bus/README.md "Two calls in flight").
    const waiting = this.ops.length - this.sent;
    const splitAt = this.options.splitBatchFrom;
    let first = this.inFlight === 0 && splitAt > 0 && waiting >= splitAt ? this.halve(waiting) : Infinity;
    while (this.sent < this.ops.length && this.inFlight < this.options.maxInFlight) {
      const n = Math.min(this.ops.length - this.sent, this.options.maxInFlight - this.inFlight, this.options.maxBatch, first);
      first = Infinity;
      const batch = this.ops.slice(this.sent, this.sent + n);
      this.sent += n;
      this.inFlight += n;
      let promise: Promise<ItemResult[]>;
      // Pushed one by one: always a packed array. batch.map()'s array is packed while flush runs unoptimized
      // and holey once TurboFan inlines the map into an optimized flush (%HasHoleyElements): that second
      // map deoptimized sendBatch ('wrong map' at items.length) as soon as flush was optimized, and
      // sendBatch's recompile then took ~95 ms of TurboFan on the bench's pinned CPU (issue 21 redis14).
      const items: I[] = [];
      for (const op of batch) items.push(op.item);
      try {
        promise = this.sendBatch(items);
      } catch (err) {
        promise = Promise.reject(err);
      }
      promise.then(
        (results) => {
          for (let i = 0; i < batch.length; i++) {
            const r = results[i] ?? { error: new Error('Redis answered fewer items than the batch held') };
            this.settle(batch[i]!, r.error, r.value);
          }
        },
        (err: unknown) => {
          const error = err instanceof Error ? err : new Error(String(err));
          for (const op of batch) this.settle(op, error);
        },
      );
    }
  }

  /**
   * How many of the waiting ops the first of two calls takes: about half, whole keys (splitKey) in
   * the order they first appear; the waiting ops are reordered so that those come first, each key's
   * ops keeping their order (ops of different keys are independent). Infinity: do not split.
   */
  private halve(waiting: number): number {
    const key = this.options.splitKey;
    const target = Math.ceil(waiting / 2);
    if (key === undefined) return target;
    // Each key's count, then whole keys, in the order they first appear, into the first call until it
    // holds about half. The counts and the links' owners live in entries kept from call to call and
    // marked with this call's era (the same users and runs come back every call): two Maps and a Set
    // made per call were ~135 B per event of allocation in the bench (issue 21 redis20). Bounded:
    // dropped whole beyond SPLIT_MEMO_MAX keys or links (each call's are made again).
    const era = ++this.splitEra;
    const counts = this.splitCounts;
    const link = this.options.splitLink;
    const links = this.splitLinks;
    if (counts.size > SPLIT_MEMO_MAX) counts.clear();
    if (links.size > SPLIT_MEMO_MAX) links.clear();
    for (let i = this.sent; i < this.ops.length; i++) {
      const item = this.ops[i]!.item;
      const k = key(item);
      if (k === undefined) return Infinity;
      let c = counts.get(k);
      if (c === undefined) counts.set(k, (c = { era, n: 0, first: false }));
      else if (c.era !== era) {
        c.era = era;
        c.n = 0;
        c.first = false;
      }
      c.n++;
      if (link !== undefined) {
        const l = link(item);
        const owner = links.get(l);
        if (owner === undefined) links.set(l, { era, key: k });
        else if (owner.era !== era) {
          owner.era = era;
          owner.key = k;
        } else if (owner.key !== k) return Infinity;
      }
    }
    let taken = 0;
    for (let i = this.sent; i < this.ops.length && taken < target; i++) {
      const c = counts.get(key(this.ops[i]!.item)!)!;
      if (c.first) continue;
      c.first = true;
      taken += c.n;
    }
    const a: Op<I>[] = [];
    const b: Op<I>[] = [];
    for (let i = this.sent; i < this.ops.length; i++) {
      const op = this.ops[i]!;
      (counts.get(key(op.item)!)!.first ? a : b).push(op);
    }
    if (b.length === 0) return Infinity;
    for (let i = 0; i < a.length; i++) this.ops[this.sent + i] = a[i]!;
    for (let i = 0; i < b.length; i++) this.ops[this.sent + a.length + i] = b[i]!;
    return a.length;
  }

  private settle(op: Op<I>, error: Error | undefined, value?: unknown): void {
    this.inFlight--;
    if (this.closed) return; // close() already rejected it
    const groupError = op.group === undefined ? undefined : this.failedGroups.get(op.group);
    if (!error && !groupError) {
      this.remove(op);
      this.failures = 0;
      op.resolve(this.options.answer === undefined ? value : this.options.answer.value(op.item, value));
    } else if (groupError) {
      this.remove(op);
      this.reject(op, groupError);
      this.forgetGroupIfDone(op.group);
    } else if (error && isTransientRedisError(error)) {
      this.paused = true; // stays queued; resent in order once everything on the wire has settled
      if (!isImmediateRetry(error)) this.backoff = true;
    } else if (error) {
      this.remove(op);
      this.reject(op, error);
      if (op.group !== undefined) this.failGroup(op.group, error);
    }
    if (this.paused) {
      if (this.inFlight === 0) this.scheduleResume();
    } else {
      this.pump();
    }
    if (this.ops.length === 0) for (const w of this.drainWaiters.splice(0)) w();
  }

  private remove(op: Op<I>): void {
    const i = this.ops.indexOf(op);
    if (i < 0) return;
    // Answers settle oldest first, so the op is nearly always the first: shift() trims the array's
    // front in place, where splice(0, 1) copies the rest and makes a result array (~0.75 µs per op
    // with 200 ops waiting, micro-benchmark; once per publish).
    if (i === 0) this.ops.shift();
    else this.ops.splice(i, 1);
    if (i < this.sent) this.sent--;
    this.bytes -= op.bytes;
  }

  /** A permanent failure: later ops of the group would be refused forever (their predecessor never applies). */
  private failGroup(group: string, error: Error): void {
    this.failedGroups.set(group, error);
    for (let i = this.ops.length - 1; i >= this.sent; i--) {
      const op = this.ops[i]!;
      if (op.group !== group) continue;
      this.ops.splice(i, 1);
      this.bytes -= op.bytes;
      this.reject(op, error);
    }
    this.forgetGroupIfDone(group);
  }

  private reject(op: Op<I>, error: Error): void {
    op.reject(this.options.answer === undefined ? error : this.options.answer.error(op.item, error));
  }

  private forgetGroupIfDone(group: string | undefined): void {
    if (group !== undefined && !this.ops.some((o) => o.group === group)) this.failedGroups.delete(group);
  }

  private scheduleResume(): void {
    this.sent = 0; // everything left is resent, oldest first
    if (this.client.status !== 'ready') return; // onReady() resumes
    // A connection lost or Redis saying "not now" backs off; a lost write lease is resent at once.
    const delay = this.backoff ? Math.min(this.options.retryBaseMs * 2 ** this.failures, this.options.retryMaxMs) : 0;
    if (this.backoff) this.failures++;
    this.backoff = false;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.resume(), delay);
    this.retryTimer.unref();
  }

  private resume(): void {
    if (this.closed || this.inFlight > 0) return;
    if (this.client.status !== 'ready') return;
    this.paused = false;
    this.flush();
  }
}
