/**
 * The wire protocol between server and client (JSON text frames), shared by both sides.
 * No Node-only imports here: the browser client uses it.
 */
import type { EventEnvelope } from './events.js';

/** The subprotocol the server selects; the only one it ever echoes. */
export const SUBPROTOCOL = 'ssot.v1';
/** The token travels as a second subprotocol entry `bearer.<jwt>` and is never echoed. */
export const TOKEN_PROTOCOL_PREFIX = 'bearer.';

// A JWS compact token is base64url segments joined by dots: all legal in a subprotocol token.
const TOKEN_CHARS = /^[A-Za-z0-9_\-.]+$/;

/** The protocols a client offers: the real protocol first, then the token entry. */
export function tokenProtocols(token: string): [string, string] {
  if (!TOKEN_CHARS.test(token)) throw new TypeError('token must be a JWS compact string (base64url segments joined by ".")');
  return [SUBPROTOCOL, TOKEN_PROTOCOL_PREFIX + token];
}

// ---- client → server ----------------------------------------------------------------
export interface ResumeFrame {
  type: 'resume';
  /** Last seq the client has handed over, per run (0 = nothing yet). */
  runs: Record<string, number>;
}
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
}
export interface ReplayGapFrame {
  type: 'replay_gap';
  runId: string;
  /** First seq the client asked for. */
  fromSeq: number;
  /** First seq still stored (events from here follow), or null if nothing of the run is stored. */
  availableFrom: number | null;
  reason: 'trimmed' | 'unknown_run';
}
export interface ResumeCompleteFrame {
  type: 'resume_complete';
  runs: Record<string, { replayed: number; lastSeq: number | null; status: 'ok' | 'gap' | 'unknown' }>;
}
export interface ErrorFrame {
  type: 'error';
  code: string;
  message: string;
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
