import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import { checkExpectedUser, checkOrigin, createTokenVerifier, parseProtocolHeader, tokenFromProtocols, badRequestError } from './auth.js';
import type { JwtAuthOptions, OriginPolicy, VerifiedToken } from './auth.js';
import { CLOSE_CODES, ERROR_FRAME_CODES } from './close-codes.js';
import { idProblem } from './context.js';
import { AuthError } from './errors.js';
import { isPlainObject } from './events.js';
import { getDefaultHub } from './hub.js';
import type { ConnectionHub } from './hub.js';
import { CLIENT_FRAME_TYPES, SUBPROTOCOL } from './wire.js';
import type { ConnectionEstablishedFrame, ErrorFrame, ReplayGapFrame, ResumeCompleteFrame } from './wire.js';

export interface WebSocketServerOptions {
  /** Connection hub; default: the process-wide one, so createWebSocketManager(ctx) reaches these sockets. */
  hub?: ConnectionHub;
  /** Attach to this http server's 'upgrade' event. Without it, the server listens on `port`. */
  server?: Server;
  /** Port to listen on when no `server` is given (0 = ephemeral). */
  port?: number;
  /** Host to listen on when no `server` is given. Default '127.0.0.1'. */
  host?: string;
  /** URL path of the WebSocket endpoint. Default '/ws'. */
  path?: string;
  auth: JwtAuthOptions;
  /** Exact `scheme://host[:port]` origins allowed, or '*' (explicitly) for any. */
  allowedOrigins: OriginPolicy;
  /** Accept upgrades without an Origin header (non-browser clients). Default true. */
  allowMissingOrigin?: boolean;
  /**
   * How refusals reach the client: 'http' answers the upgrade with 400/401/403 and no socket;
   * 'close' completes the handshake and closes with 4400/4401/4403, which browser apps can read.
   */
  authFailure?: 'http' | 'close';
  /** Largest client frame in bytes; bigger ones close the socket with 1009. Default 64 KiB. */
  maxPayload?: number;
  /** Default false: compression costs memory per socket and slows fan-out. */
  perMessageDeflate?: boolean;
  /** Ping interval; a socket that missed the previous pong is terminated. Default 30 s. */
  heartbeatIntervalMs?: number;
  /** Most runs one resume frame may name. Default 100. */
  maxResumeRuns?: number;
  /** Receives non-fatal problems (socket errors, frame handler failures). Default: none. */
  onError?: (error: Error, context: { connectionId?: string; userId?: string }) => void;
}

export interface CanonicalWebSocketServer {
  readonly hub: ConnectionHub;
  readonly httpServer: Server;
  readonly wss: WebSocketServer;
  readonly path: string;
  /** Bound port (useful with port 0). */
  readonly port: number;
  /** ws://host:port/path for this server. */
  url(): string;
  /** Sockets this server currently holds. */
  readonly connectionCount: number;
  /** Stops accepting, closes this server's sockets (1001), and closes the http server if it created it. */
  close(): Promise<void>;
}

interface LiveSocket {
  connectionId: string;
  userId: string;
  alive: boolean;
  /** Epoch ms when the token that opened the connection expires (Infinity: not tracked). */
  expiresAt: number;
}

const MAX_TIMER_MS = 2 ** 31 - 1;
/** Token expiries closer together than this are closed by one sweep. */
const EXPIRY_SWEEP_MIN_MS = 1000;

/** Creates the canonical WebSocket endpoint: JWT at the upgrade, heartbeats, resume, bounded sends. */
export async function createWebSocketServer(options: WebSocketServerOptions): Promise<CanonicalWebSocketServer> {
  const hub = options.hub ?? getDefaultHub();
  const path = options.path ?? '/ws';
  const maxPayload = options.maxPayload ?? 64 * 1024;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 30_000;
  const maxResumeRuns = options.maxResumeRuns ?? 100;
  const authFailure = options.authFailure ?? 'http';
  const allowMissingOrigin = options.allowMissingOrigin ?? true;
  if (options.allowedOrigins !== '*' && !Array.isArray(options.allowedOrigins)) {
    throw new TypeError('allowedOrigins must be an array of origins or "*"');
  }
  const verify = createTokenVerifier(options.auth);
  const report = (error: unknown, ctx: { connectionId?: string; userId?: string } = {}) => {
    try {
      options.onError?.(error instanceof Error ? error : new Error(String(error)), ctx);
    } catch {
      // a failing observer must not take the server down
    }
  };

  const ownsHttpServer = options.server === undefined;
  const httpServer = options.server ?? createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket endpoint: upgrade required\n');
  });
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    maxPayload,
    perMessageDeflate: options.perMessageDeflate ?? false,
    // Select the real protocol; the bearer entry is never echoed back.
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });
  const live = new Map<WebSocket, LiveSocket>();

  const authenticate = async (req: IncomingMessage, url: URL): Promise<{ token: VerifiedToken; threadId?: string }> => {
    checkOrigin(req.headers.origin, options.allowedOrigins, allowMissingOrigin);
    const token = await verify(tokenFromProtocols(parseProtocolHeader(req.headers['sec-websocket-protocol'])));
    checkExpectedUser(token.userId, url.searchParams.get('userId'));
    const threadId = url.searchParams.get('threadId');
    if (threadId !== null) {
      const problem = idProblem(threadId);
      if (problem) throw badRequestError(`threadId ${problem}`);
      return { token, threadId };
    }
    return { token };
  };

  const refuse = (req: IncomingMessage, socket: Duplex, head: Buffer, error: unknown) => {
    const refusal =
      error instanceof AuthError
        ? error
        : new AuthError(CLOSE_CODES.INTERNAL_ERROR.code, CLOSE_CODES.INTERNAL_ERROR.httpStatus, 'internal error');
    if (!(error instanceof AuthError)) report(error);
    const offered = parseProtocolHeader(req.headers['sec-websocket-protocol']);
    if (authFailure === 'close' && offered.includes(SUBPROTOCOL) && socket.writable) {
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', () => undefined);
        ws.close(refusal.closeCode, refusal.reason.slice(0, 120));
      });
      return;
    }
    writeHttpRefusal(socket, refusal.httpStatus, refusal.closeCode, refusal.reason);
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      writeHttpRefusal(socket, 400, CLOSE_CODES.BAD_REQUEST.code, 'bad request URL');
      return;
    }
    if (url.pathname !== path) {
      // On a shared http server another upgrade listener may own this path.
      if (ownsHttpServer || httpServer.listenerCount('upgrade') <= 1) writeHttpRefusal(socket, 404, CLOSE_CODES.BAD_REQUEST.code, 'no WebSocket endpoint here');
      return;
    }
    // A peer reset during auth must not crash the process. A module-level no-op, not an inline
    // closure: the listener lives as long as the socket and a closure here would keep this
    // upgrade's req (all headers, the token), head and url alive for the connection's life.
    socket.on('error', ignoreSocketError);
    authenticate(req, url).then(
      (auth) => {
        if (!socket.writable) return socket.destroy();
        wss.handleUpgrade(req, socket, head, (ws) => {
          socket.off('error', ignoreSocketError); // ws has its own error listener on the socket now
          onConnection(ws, auth.token, auth.threadId);
        });
      },
      (error) => refuse(req, socket, head, error),
    );
  };

  // Socket listeners are shared by every connection (`this` is the socket) and find its state in
  // `live`: no closures per connection, which would cost ~0.5 KiB each with their contexts.
  function onSocketError(this: WebSocket, err: Error): void {
    const st = live.get(this);
    report(err, st ? { connectionId: st.connectionId, userId: st.userId } : {}); // e.g. maxPayload: ws closes with 1009 itself
  }
  function onSocketPong(this: WebSocket): void {
    const st = live.get(this);
    if (st) st.alive = true;
  }
  function onSocketClose(this: WebSocket): void {
    const st = live.get(this);
    live.delete(this);
    if (st) hub.removeConnection(st.connectionId);
  }
  function onSocketMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    const st = live.get(this);
    if (!st) return;
    st.alive = true;
    handleFrame(this, st, data, isBinary).catch((err) => {
      report(err, { connectionId: st.connectionId, userId: st.userId });
      sendError(st.connectionId, ERROR_FRAME_CODES.INTERNAL.code, 'internal error while handling the frame');
    });
  }

  // Token expiry: one timer for the earliest expiry among all sockets instead of a Timeout per
  // socket. A sweep closes every expired socket and re-arms for the next expiry, at most once
  // per EXPIRY_SWEEP_MIN_MS, so a connection ends within a second of its token's exp.
  let expiryTimer: NodeJS.Timeout | undefined;
  let expiryDueAt = Infinity;
  const scheduleExpiry = (at: number) => {
    if (at >= expiryDueAt) return;
    expiryDueAt = at;
    clearTimeout(expiryTimer);
    expiryTimer = setTimeout(sweepExpired, Math.max(0, Math.min(at - Date.now(), MAX_TIMER_MS)));
    expiryTimer.unref();
  };
  const sweepExpired = () => {
    expiryTimer = undefined;
    expiryDueAt = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const [ws, st] of live) {
      if (st.expiresAt <= now) {
        st.expiresAt = Infinity;
        ws.close(CLOSE_CODES.UNAUTHORIZED.code, 'token expired');
      } else if (st.expiresAt < next) next = st.expiresAt;
    }
    if (next !== Infinity) scheduleExpiry(Math.max(next, now + EXPIRY_SWEEP_MIN_MS));
  };

  const onConnection = (ws: WebSocket, token: VerifiedToken, threadId: string | undefined) => {
    const connectionId = randomUUID();
    const userId = token.userId;
    const state: LiveSocket = { connectionId, userId, alive: true, expiresAt: Infinity };
    live.set(ws, state);
    ws.on('error', onSocketError);
    ws.on('pong', onSocketPong);
    ws.on('close', onSocketClose);
    try {
      hub.addConnection({ connectionId, userId, ...(threadId ? { threadId } : {}), socket: ws, connectedAt: new Date() });
    } catch (err) {
      report(err, { connectionId, userId });
      ws.close(CLOSE_CODES.GOING_AWAY.code, 'server not accepting connections');
      return;
    }
    // A token is only good until it expires; so is the connection it opened.
    state.expiresAt = token.exp * 1000;
    scheduleExpiry(state.expiresAt);
    ws.on('message', onSocketMessage);
    const established: ConnectionEstablishedFrame = {
      type: 'connection_established',
      connectionId,
      userId,
      threadId: threadId ?? null,
      protocol: SUBPROTOCOL,
      heartbeatIntervalMs,
      maxPayload,
    };
    hub.sendFrameTo(connectionId, { ...established });
  };

  const sendError = (connectionId: string, code: string, message: string) => {
    const frame: ErrorFrame = { type: 'error', code, message };
    hub.sendFrameTo(connectionId, { ...frame });
  };

  const handleFrame = async (_ws: WebSocket, st: LiveSocket, data: RawData, isBinary: boolean) => {
    const { connectionId, userId } = st;
    if (isBinary) return sendError(connectionId, ERROR_FRAME_CODES.BINARY_FRAME.code, 'binary frames are not supported; send JSON text');
    let frame: unknown;
    try {
      frame = JSON.parse(rawToString(data));
    } catch {
      return sendError(connectionId, ERROR_FRAME_CODES.INVALID_JSON.code, 'frame is not valid JSON');
    }
    if (!isPlainObject(frame) || typeof frame.type !== 'string') {
      return sendError(connectionId, ERROR_FRAME_CODES.BAD_FRAME.code, 'frame must be a JSON object with a string "type"');
    }
    const bad = (message: string) => sendError(connectionId, ERROR_FRAME_CODES.BAD_FRAME.code, `${frame.type}: ${message}`);
    switch (frame.type) {
      case 'ping':
        hub.sendFrameTo(connectionId, { type: 'pong', ts: Date.now() });
        return;
      case 'bind_thread': {
        const problem = idProblem(frame.threadId);
        if (problem) return bad(`threadId ${problem}`);
        hub.updateConnectionThread(connectionId, frame.threadId as string);
        hub.sendFrameTo(connectionId, { type: 'thread_bound', threadId: frame.threadId });
        return;
      }
      case 'event_confirmation': {
        const { runId, seq, status } = frame;
        if (idProblem(runId)) return bad('runId must be a run id');
        if (!Number.isInteger(seq) || (seq as number) < 1) return bad('seq must be an integer >= 1');
        if (status !== 'confirmed' && status !== 'failed') return bad('status must be "confirmed" or "failed"');
        if (!hub.confirm(connectionId, runId as string, seq as number, status)) {
          return sendError(connectionId, ERROR_FRAME_CODES.UNKNOWN_EVENT.code, `no event ${String(runId)}#${String(seq)} was sent on this connection`);
        }
        hub.sendFrameTo(connectionId, { type: 'event_confirmation_received', runId, seq, status });
        return;
      }
      case 'resume': {
        const runs = frame.runs;
        if (!isPlainObject(runs)) return bad('runs must be an object of runId → last seq');
        const entries = Object.entries(runs);
        if (entries.length > maxResumeRuns) return bad(`at most ${maxResumeRuns} runs per resume`);
        for (const [runId, lastSeq] of entries) {
          if (idProblem(runId)) return bad(`run id "${runId}" is invalid`);
          if (!Number.isInteger(lastSeq) || (lastSeq as number) < 0) return bad(`last seq of run "${runId}" must be an integer >= 0`);
        }
        const summary: ResumeCompleteFrame['runs'] = {};
        for (const [runId, lastSeq] of entries as [string, number][]) {
          const result = await hub.replay(userId, runId, lastSeq);
          if (result.status !== 'ok') {
            const gap: ReplayGapFrame =
              result.status === 'gap'
                ? { type: 'replay_gap', runId, fromSeq: result.fromSeq, availableFrom: result.availableFrom, reason: 'trimmed' }
                : { type: 'replay_gap', runId, fromSeq: lastSeq + 1, availableFrom: null, reason: 'unknown_run' };
            hub.sendFrameTo(connectionId, { ...gap });
          }
          const replayed = result.status === 'unknown' ? 0 : hub.sendEnvelopesTo(connectionId, result.events);
          summary[runId] = { replayed, lastSeq: result.status === 'unknown' ? null : result.lastSeq, status: result.status };
        }
        const done: ResumeCompleteFrame = { type: 'resume_complete', runs: summary };
        hub.sendFrameTo(connectionId, { ...done });
        return;
      }
      default:
        return sendError(
          connectionId,
          ERROR_FRAME_CODES.UNKNOWN_TYPE.code,
          `unknown frame type "${frame.type.slice(0, 64)}"; expected one of ${CLIENT_FRAME_TYPES.join(', ')}`,
        );
    }
  };

  // Heartbeat: one timer for all sockets; a socket that missed the last pong is terminated
  // (not closed: close would wait for a peer that is gone).
  const heartbeat = setInterval(() => {
    for (const [ws, st] of live) {
      if (!st.alive) {
        ws.terminate();
        continue;
      }
      st.alive = false;
      try {
        ws.ping();
      } catch {
        ws.terminate();
      }
    }
  }, heartbeatIntervalMs);
  heartbeat.unref();

  httpServer.on('upgrade', onUpgrade);
  if (ownsHttpServer) {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  }

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      clearInterval(heartbeat);
      clearTimeout(expiryTimer);
      httpServer.off('upgrade', onUpgrade);
      const sockets = [...live.keys()];
      await Promise.all(
        sockets.map(
          (ws) =>
            new Promise<void>((resolve) => {
              if (ws.readyState === ws.CLOSED) return resolve();
              const timer = setTimeout(() => {
                ws.terminate();
                resolve();
              }, 1000);
              ws.once('close', () => {
                clearTimeout(timer);
                resolve();
              });
              ws.close(CLOSE_CODES.GOING_AWAY.code, 'server shutting down');
            }),
        ),
      );
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      if (ownsHttpServer) {
        httpServer.closeAllConnections();
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      }
    })());

  const address = () => httpServer.address() as AddressInfo | null;
  return {
    hub,
    httpServer,
    wss,
    path,
    get port() {
      return address()?.port ?? 0;
    },
    url() {
      const a = address();
      if (!a) throw new Error('the http server is not listening');
      const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      return `ws://${host}:${a.port}${path}`;
    },
    get connectionCount() {
      return live.size;
    },
    close,
  };
}

function ignoreSocketError(): void {}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** Answers a refused upgrade with a plain HTTP status (the socket never becomes a WebSocket). */
function writeHttpRefusal(socket: Duplex, status: number, closeCode: number, reason: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ error: reason, closeCode });
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-SSOT-Close-Code: ${closeCode}\r\n` +
      '\r\n' +
      body,
  );
}
