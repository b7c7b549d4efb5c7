/**
 * The one table of refusals and closes. The README's table is generated from it
 * (`node --import tsx canonical/close-codes.ts` prints the Markdown).
 *
 * Refusals before the handshake answer with `httpStatus` and no WebSocket at all (browsers
 * only see a 1006 then); with `authFailure: 'close'` the server instead completes the
 * handshake and closes with `code`, so browser apps can read it.
 * 4000–4499 are ours; 1xxx are RFC 6455's.
 */
export interface CloseCodeEntry {
  readonly code: number;
  readonly httpStatus: number | null;
  readonly when: string;
  readonly clientAction: string;
}

export const CLOSE_CODES = {
  NORMAL: { code: 1000, httpStatus: null, when: 'normal closure (client or server chose to close)', clientAction: 'none' },
  GOING_AWAY: { code: 1001, httpStatus: null, when: 'server shutting down', clientAction: 'reconnect with backoff, then resume' },
  ABNORMAL: {
    code: 1006,
    httpStatus: null,
    when: 'no close frame: network loss, or the heartbeat reaped a socket that missed a pong (terminate)',
    clientAction: 'reconnect with backoff, then resume',
  },
  MESSAGE_TOO_BIG: {
    code: 1009,
    httpStatus: null,
    when: 'a client frame exceeded maxPayload (64 KiB by default)',
    clientAction: 'fix the client; reconnect and resume',
  },
  INTERNAL_ERROR: { code: 1011, httpStatus: 500, when: 'unexpected server error during the upgrade', clientAction: 'reconnect with backoff' },
  TRY_AGAIN_LATER: {
    code: 1013,
    httpStatus: null,
    when: "the server cannot reach its event store (the Redis bus) to tell the new connection where the user's stream stands",
    clientAction: 'reconnect with backoff, then resume',
  },
  BAD_REQUEST: {
    code: 4400,
    httpStatus: 400,
    when: 'the upgrade did not offer the `ssot.v1` subprotocol, a query parameter (threadId) is invalid, or a query parameter is repeated; the reason says only "bad request"',
    clientAction: 'terminal: fix the client',
  },
  UNAUTHORIZED: {
    code: 4401,
    httpStatus: 401,
    when: 'no `bearer.<token>` entry, or the token is malformed, forged (bad signature), uses a disallowed algorithm (incl. `alg: none`), has the wrong issuer or audience, is expired or too old; also sent when a token expires during the connection. The reason says only "unauthorized" (which check failed is logged server-side, never told)',
    clientAction: 'get a fresh token, then reconnect and resume',
  },
  FORBIDDEN: {
    code: 4403,
    httpStatus: 403,
    when: 'the Origin header is not in the allowlist, or the token user differs from the `userId` query parameter; the reason says only "forbidden"',
    clientAction: 'terminal',
  },
  SLOW_CONSUMER: {
    code: 4408,
    httpStatus: null,
    when: "the socket's send queue (ws bufferedAmount) exceeded the limit: the client is not reading",
    clientAction: 'reconnect and resume from the last stream offset (nothing is lost within the replay window)',
  },
} as const satisfies Record<string, CloseCodeEntry>;

export type CloseCodeName = keyof typeof CLOSE_CODES;

/** Codes after which a client should not reconnect on its own. */
export const TERMINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CLOSE_CODES.BAD_REQUEST.code,
  CLOSE_CODES.FORBIDDEN.code,
]);

/**
 * Codes of `{type:"error", code, message}` frames. The connection stays open after any of
 * them: a malformed frame never costs the client its connection.
 */
export const ERROR_FRAME_CODES = {
  INVALID_JSON: { code: 'ERR_INVALID_JSON', when: 'a text frame that is not valid JSON' },
  INVALID_UTF8: { code: 'ERR_INVALID_UTF8', when: 'a text frame whose bytes are not valid UTF-8 (answered like any malformed frame; the server never closes with 1007)' },
  BINARY_FRAME: { code: 'ERR_BINARY_FRAME', when: 'a binary frame (the protocol is JSON text only)' },
  BAD_FRAME: {
    code: 'ERR_BAD_FRAME',
    when: 'JSON that is not an object with a string `type`, a known type with invalid fields (e.g. an offset or seq that is not a safe integer ≥ 0, more than maxResumeRuns runs), or a resume while one is still running on the connection',
  },
  UNKNOWN_TYPE: { code: 'ERR_UNKNOWN_TYPE', when: 'a frame whose `type` is not resume, event_confirmation, bind_thread or ping' },
  UNKNOWN_EVENT: { code: 'ERR_UNKNOWN_EVENT', when: 'an event_confirmation for a (runId, seq) this user was never sent' },
  UNAVAILABLE: {
    code: 'ERR_UNAVAILABLE',
    when: 'a resume needs the event store (the Redis bus) and it is unreachable; retryable: the client sends the same resume again with backoff (`retryAfterMs` is a hint)',
  },
  INTERNAL: { code: 'ERR_INTERNAL', when: 'the server failed while handling a frame (logged; the connection stays up)' },
} as const;

export type ErrorFrameCode = (typeof ERROR_FRAME_CODES)[keyof typeof ERROR_FRAME_CODES]['code'];

/** Markdown for the README, generated from the tables above. */
export function closeCodesMarkdown(): string {
  const lines = ['| close code | HTTP at upgrade | name | when | client action |', '|---|---|---|---|---|'];
  for (const [name, e] of Object.entries(CLOSE_CODES) as [string, CloseCodeEntry][]) {
    lines.push(`| ${e.code} | ${e.httpStatus ?? '—'} | ${name} | ${e.when} | ${e.clientAction} |`);
  }
  lines.push('', '| error frame `code` | when |', '|---|---|');
  for (const e of Object.values(ERROR_FRAME_CODES)) lines.push(`| \`${e.code}\` | ${e.when} |`);
  return lines.join('\n');
}

// Guarded so the browser client can import this module (no `process` there).
if (typeof process !== 'undefined' && import.meta.url === `file://${process.argv[1]}`) console.log(closeCodesMarkdown());
