/**
 * The one workload both servers send, so the canonical manager and the raw `ws` baseline put
 * byte-identical frames on the wire: the five critical events of a run, in lifecycle order.
 */
import type { CriticalEventData, CriticalEventType } from '../../canonical/index.js';

export type RunStep = { [K in CriticalEventType]: [K, CriticalEventData[K]] }[CriticalEventType];

/** Payloads sized like a small real agent run (frames of roughly 150–260 bytes). */
export const FIVE_EVENT_RUN: readonly RunStep[] = [
  ['agent_started', { agentName: 'triage' }],
  ['agent_thinking', { reasoning: 'The user asks about order 42; look it up before answering, then summarise the shipping state.' }],
  ['tool_executing', { toolName: 'orders.get', parameters: { id: 42, fields: ['status', 'carrier', 'eta'] } }],
  ['tool_completed', { toolName: 'orders.get', results: { status: 'shipped', carrier: 'DHL', eta: '2026-11-24' }, durationMs: 12 }],
  ['agent_completed', { status: 'success', finalResponse: 'Order 42 shipped with DHL and should arrive on 24 November.' }],
];

export const userIdOf = (prefix: string, i: number): string => `${prefix}${i}`;
export const threadIdOf = (userId: string): string => `thread-${userId}`;
export const runIdOf = (tag: string, userId: string): string => `run-${tag}-${userId}`;

/** The same envelope canonical builds (header keys first, then data), as an object (the Socket.IO baseline emits it). */
export function envelopeObject(step: RunStep, seq: number, userId: string, runId: string, offset: number, epoch: string): Record<string, unknown> {
  const [type, data] = step;
  return { type, runId, threadId: threadIdOf(userId), userId, seq, offset, epoch, ts: Date.now(), ...data };
}

/** The same envelope canonical builds, serialised, for the raw baseline. */
export function rawEnvelope(step: RunStep, seq: number, userId: string, runId: string, offset: number, epoch: string): string {
  return JSON.stringify(envelopeObject(step, seq, userId, runId, offset, epoch));
}

/**
 * Epochs shaped like canonical's (six random base-36 characters, then a counter in base 36), one
 * per user in connection order: the raw baseline's frames then have the same total size.
 */
export function epochMaker(): () => string {
  const boot = Math.floor(Math.random() * 36 ** 6).toString(36).padStart(6, '0');
  let n = 0;
  return () => `${boot}${(n++).toString(36)}`;
}

export const BENCH_AUTH = {
  secret: 'bench-secret-for-the-canonical-suite-0123456789',
  issuer: 'https://auth.ssot.bench',
  audience: 'ssot-ws',
} as const;

/** Percentile (nearest rank) of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Wall-clock epoch ms with sub-ms resolution, comparable across processes on one machine. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

/**
 * Node options of every bench client process (the measuring side, the same for the three servers).
 * V8's allocation-site pretenuring off: a client that gets one frame per socket while its 1,000
 * connections are being set up (canonical's connection_established; a raw server made to send the
 * same frame does it too) had V8 mark the receive path's allocation sites long-lived, so from then
 * on every received frame's objects were allocated in the old generation and the client process ran
 * 3-7 mark-compacts per 200k frames against 0 for a client that got no such frame (measured
 * 2026-12-03 with --trace-gc, bench/canonical/latency-probe.ts): pauses of the instrument that
 * landed in canonical's latency runs only (its three worst of 30 bursts, p99 17-32 ms). With the
 * option, 0 mark-compacts either way. The servers run with V8's defaults.
 * BENCH_CANONICAL_CLIENT_NODE_ARGS replaces them ('' for none, to measure the difference).
 */
export const CLIENT_NODE_ARGS: readonly string[] =
  process.env.BENCH_CANONICAL_CLIENT_NODE_ARGS !== undefined ? process.env.BENCH_CANONICAL_CLIENT_NODE_ARGS.split(' ').filter(Boolean) : ['--no-allocation-site-pretenuring'];
