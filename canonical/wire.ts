/**
 * The wire protocol between server and client (JSON text frames), shared by both sides.
 * No Node-only imports here: the browser client uses it.
 */
import type { EventEnvelope } from './events.js';

/** The subprotocol the server selects; the only one it ever echoes. */
export const SUBPROTOCOL = 'ssot.v1';
/** The token travels as a second subprotocol entry `bearer.<jwt>` and is never echoed. */
export const TOKEN_PROTOCOL_PREFIX = 'bearer.';

/** What an epoch looks like on the wire (the server mints them; a resume with anything else is malformed). */
export const EPOCH_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

// A JWS compact token is base64url segments joined by dots: all legal in a subprotocol token.
const TOKEN_CHARS = /^[A-Za-z0-9_\-.]+$/;

/** The protocols a client offers: the real protocol first, then the token entry. */
export function tokenProtocols(token: string): [string, string] {
  if (!TOKEN_CHARS.test(token)) throw new TypeError('token must be a JWS compact string (base64url segments joined by ".")');
  return [SUBPROTOCOL, TOKEN_PROTOCOL_PREFIX + token];
}

// ---- client → server ----------------------------------------------------------------
/**
 * Resume the user's stream after a position: one epoch and offset, however many runs the
 * client has (a reconnect sends exactly this; `position()` on the client is what to persist).
 */
export interface ResumeStreamFrame {
  type: 'resume';
  /** The epoch of the last event (or connection_established) the client saw. */
  epoch: string;
  /** The last offset it saw (0 = nothing of this epoch yet). */
  offset: number;
}
/** Refetch a few runs after their last seq (a run joined mid-way, an explicit resync); at most maxResumeRuns per frame. */
export interface ResumeRunsFrame {
  type: 'resume';
  /** Last seq the client has handed over, per run (0 = nothing yet). */
  runs: Record<string, number>;
}
export type ResumeFrame = ResumeStreamFrame | ResumeRunsFrame;
export interface EventConfirmationFrame {
  type: 'event_confirmation';
  runId: string;
  seq: number;
  status: 'confirmed' | 'failed';
  error?: string;
}
export interface PingFrame {
  type: 'ping';
}
export interface BindThreadFrame {
  type: 'bind_thread';
  threadId: string;
}
export type ClientFrame = ResumeFrame | EventConfirmationFrame | PingFrame | BindThreadFrame;
export const CLIENT_FRAME_TYPES = ['resume', 'event_confirmation', 'ping', 'bind_thread'] as const;

// ---- server → client ----------------------------------------------------------------
export interface ConnectionEstablishedFrame {
  type: 'connection_established';
  connectionId: string;
  userId: string;
  threadId: string | null;
  protocol: string;
  heartbeatIntervalMs: number;
  maxPayload: number;
  /** The user's stream position now: every event after it reaches this connection. */
  epoch: string;
  offset: number;
}
/** A gap in one run (answer to a `runs` resume). */
export interface RunGapFrame {
  type: 'replay_gap';
  scope: 'run';
  runId: string;
  /** First seq the client asked for. */
  fromSeq: number;
  /** First seq still stored (events from here follow), or null if nothing of the run is stored. */
  availableFrom: number | null;
  /** unknown_run: no such run for this user (never existed, expired, or another user's — they look the same). */
  reason: 'trimmed' | 'unknown_run';
}
/** A run that lost events in a stream gap: refetch it from its source of truth. */
export interface LostRunEntry {
  runId: string;
  lastSeq: number;
  /** First seq still stored (it follows in the replay), or null if none is. */
  availableFrom: number | null;
}
/** A gap in the user's stream (answer to a stream resume), sent before the events that are left. */
export interface StreamGapFrame {
  type: 'replay_gap';
  scope: 'stream';
  /**
   * trimmed: offsets fromOffset .. availableFrom-1 are gone (older than the replay window or over
   * its size); reset: the client's position is not in this stream (another epoch — the server
   * restarted or dropped the stream), everything still stored of the new epoch follows.
   */
  reason: 'trimmed' | 'reset';
  epoch: string;
  fromOffset: number;
  /** First offset still stored, or null if nothing is. */
  availableFrom: number | null;
  /** Runs that lost events (most recently active first, at most 1000; runsTruncated if more). */
  runs: LostRunEntry[];
  runsTruncated: boolean;
}
export type ReplayGapFrame = RunGapFrame | StreamGapFrame;
/** Answer to a stream resume: everything up to (epoch, offset) was sent (or declared lost). */
export interface StreamResumeCompleteFrame {
  type: 'resume_complete';
  scope: 'stream';
  epoch: string;
  offset: number;
  replayed: number;
  status: 'ok' | 'gap';
}
/** Answer to a `runs` resume. */
export interface RunsResumeCompleteFrame {
  type: 'resume_complete';
  scope: 'run';
  runs: Record<string, { replayed: number; lastSeq: number | null; status: 'ok' | 'gap' | 'unknown' }>;
}
export type ResumeCompleteFrame = StreamResumeCompleteFrame | RunsResumeCompleteFrame;
export interface ErrorFrame {
  type: 'error';
  code: string;
  message: string;
  /** Set on ERR_UNAVAILABLE: retry the same request after about this long (with backoff). */
  retryAfterMs?: number;
}
export interface PongFrame {
  type: 'pong';
  ts: number;
}
export interface ConfirmationReceivedFrame {
  type: 'event_confirmation_received';
  runId: string;
  seq: number;
  status: 'confirmed' | 'failed';
}
export interface ThreadBoundFrame {
  type: 'thread_bound';
  threadId: string;
}
export type ServerControlFrame =
  | ConnectionEstablishedFrame
  | ReplayGapFrame
  | ResumeCompleteFrame
  | ErrorFrame
  | PongFrame
  | ConfirmationReceivedFrame
  | ThreadBoundFrame;

export type ServerFrame = EventEnvelope | ServerControlFrame | { type: string; [k: string]: unknown };
