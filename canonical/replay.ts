import type { EventEnvelope } from './events.js';
import type { ReplayResult } from './bus/types.js';

export interface ReplayBufferOptions {
  /** Events kept per run; older ones are trimmed (default 1000). */
  maxEventsPerRun?: number;
  /** Events older than this are trimmed (default 5 min). */
  ttlMs?: number;
  /**
   * How long a run's metadata (owner, last seq) outlives its last event, so a late resume
   * learns "gap" instead of "unknown" and seq never restarts for a live run (default 1 h).
   */
  metaTtlMs?: number;
  /** Runs tracked at most; the least recently active is dropped beyond it (default 10 000). */
  maxRuns?: number;
  /** Clock, injectable for tests. */
  now?: () => number;
}

interface RunRecord {
  userId: string;
  threadId: string;
  lastSeq: number;
  lastActivity: number;
  events: EventEnvelope[];
}

/**
 * Bounded per-run store of envelopes and the per-run seq counter (the memory bus's state).
 * Memory is bounded by maxRuns × maxEventsPerRun; both trims are lazy plus a periodic sweep.
 */
export class ReplayBuffer {
  readonly maxEventsPerRun: number;
  readonly ttlMs: number;
  readonly metaTtlMs: number;
  readonly maxRuns: number;
  private readonly now: () => number;
  // Map keeps insertion order; a touched run is re-inserted, so the first key is the stalest.
  private readonly runs = new Map<string, RunRecord>();
  /** The last key inserted into `runs`. */
  private lastRunId: string | undefined;
  private lastSweep = 0;

  constructor(options: ReplayBufferOptions = {}) {
    this.maxEventsPerRun = positiveInt(options.maxEventsPerRun ?? 1000, 'maxEventsPerRun');
    this.ttlMs = positiveInt(options.ttlMs ?? 5 * 60_000, 'ttlMs');
    this.metaTtlMs = Math.max(this.ttlMs, positiveInt(options.metaTtlMs ?? 60 * 60_000, 'metaTtlMs'));
    this.maxRuns = positiveInt(options.maxRuns ?? 10_000, 'maxRuns');
    this.now = options.now ?? Date.now;
  }

  /** Who owns a live run (undefined when the run is unknown or expired). */
  owner(runId: string): { userId: string; threadId: string } | undefined {
    const rec = this.live(runId);
    return rec ? { userId: rec.userId, threadId: rec.threadId } : undefined;
  }

  /** Assigns the next seq for the run and stores the envelope built by `build(seq, ts)`. */
  append(userId: string, threadId: string, runId: string, build: (seq: number, ts: number) => EventEnvelope): EventEnvelope {
    const now = this.now();
    this.maybeSweep(now);
    let rec = this.live(runId);
    let fresh = false;
    if (!rec) {
      rec = { userId, threadId, lastSeq: 0, lastActivity: now, events: [] };
      fresh = true;
    } else if (rec.userId !== userId) {
      // The hub checks ownership first; this is the bus's own guard against mixing users.
      throw new Error(`run "${runId}" belongs to another user`);
    }
    if (fresh || runId !== this.lastRunId) {
      // Re-insert unless it already is the most recent key (exact LRU either way).
      this.runs.delete(runId);
      this.runs.set(runId, rec);
      this.lastRunId = runId;
    }
    const envelope = build(rec.lastSeq + 1, now);
    rec.lastSeq = envelope.seq;
    rec.lastActivity = now;
    rec.events.push(envelope);
    this.trim(rec, now);
    while (this.runs.size > this.maxRuns) {
      const stalest = this.runs.keys().next().value;
      if (stalest === undefined) break;
      this.runs.delete(stalest);
    }
    return envelope;
  }

  /** Events of the user's run after `afterSeq`, with an explicit gap when some were trimmed. */
  since(userId: string, runId: string, afterSeq: number): ReplayResult {
    const rec = this.live(runId);
    if (!rec || rec.userId !== userId) return { status: 'unknown' };
    this.trim(rec, this.now());
    const events = rec.events.filter((e) => e.seq > afterSeq);
    const wanted = afterSeq + 1;
    if (wanted > rec.lastSeq) return { status: 'ok', events: [], lastSeq: rec.lastSeq };
    const first = rec.events[0];
    if (first && first.seq <= wanted) return { status: 'ok', events, lastSeq: rec.lastSeq };
    return { status: 'gap', events, lastSeq: rec.lastSeq, fromSeq: wanted, availableFrom: first ? first.seq : null };
  }

  get runCount(): number {
    return this.runs.size;
  }

  clear(): void {
    this.runs.clear();
    this.lastRunId = undefined;
  }

  private live(runId: string): RunRecord | undefined {
    const rec = this.runs.get(runId);
    if (rec && this.now() - rec.lastActivity > this.metaTtlMs) {
      this.runs.delete(runId);
      return undefined;
    }
    return rec;
  }

  private trim(rec: RunRecord, now: number): void {
    const excess = rec.events.length - this.maxEventsPerRun;
    let drop = excess > 0 ? excess : 0;
    while (drop < rec.events.length && now - rec.events[drop]!.ts > this.ttlMs) drop++;
    if (drop > 0) rec.events.splice(0, drop);
  }

  private maybeSweep(now: number): void {
    if (now - this.lastSweep < Math.min(this.ttlMs, 10_000)) return;
    this.lastSweep = now;
    for (const [runId, rec] of this.runs) {
      if (now - rec.lastActivity > this.metaTtlMs) this.runs.delete(runId);
      else this.trim(rec, now);
    }
  }
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer (got ${value})`);
  return value;
}
