import { isUtf8 } from 'node:buffer';
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
import { AuthError, CanonicalError } from './errors.js';
import { isPlainObject } from './events.js';
import { getDefaultHub } from './hub.js';
import type { ConnectionHub } from './hub.js';
import { closeReason, safeText } from './safe-text.js';
import { isThenable } from './bus/types.js';
import type { MaybePromise, StreamPosition } from './bus/types.js';
import { CLIENT_FRAME_TYPES, EPOCH_PATTERN, SUBPROTOCOL } from './wire.js';
import type { WebSocketConnection } from './protocol.js';
import type { ConnectionEstablishedFrame, ErrorFrame, RunGapFrame, RunsResumeCompleteFrame, StreamGapFrame, StreamResumeCompleteFrame } from './wire.js';

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
  /** Most runs one `runs` resume (a per-run refetch) may name; a reconnect resumes by offset, one number. Default 100. */
  maxResumeRuns?: number;
  /** Receives non-fatal problems (socket errors, frame handler failures). Default: none. */
  onError?: (error: Error, context: { connectionId?: string; userId?: string }) => void;
  /**
   * Receives every refused upgrade with what exactly failed (`detail`, escaped and cut): the
   * client itself is only told the generic reason of the code. Default: none.
   */
  onRefusal?: (refusal: UpgradeRefusal) => void;
}

export interface UpgradeRefusal {
  closeCode: number;
  httpStatus: number;
  /** What the client was told ("unauthorized", "forbidden", "bad request", "internal error", "not found"). */
  reason: string;
  /** What failed, for the log (client-supplied values escaped and cut). */
  detail: string;
  remoteAddress: string | undefined;
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

/**
 * One connection's state: what the hub keeps (a WebSocketConnection, this same object) and what the
 * server keeps besides. One object per socket instead of two, and `connectedAt` is a number until
 * someone asks for the Date (a health report): an idle connection holds no Date (measured with heap
 * snapshots at 2,000 idle connections: ~0.15 KiB less per connection).
 */
class LiveSocket implements WebSocketConnection {
  alive = true;
  /** Epoch ms when the token that opened the connection expires (Infinity: not tracked). */
  expiresAt = Infinity;
  /** A resume is being answered on this connection (one at a time). */
  resuming = false;
  readonly utf8Bytes = true;

  constructor(
    readonly connectionId: string,
    readonly userId: string,
    public threadId: string | undefined,
    readonly socket: WebSocket,
    readonly wsFrames: boolean,
    private readonly connectedMs: number,
  ) {}

  get connectedAt(): Date {
    return new Date(this.connectedMs);
  }
}

/** Query parameters the endpoint reads; each may appear once. */
const MAX_ERROR_ECHO_BYTES = 64;
/** The hint sent with ERR_UNAVAILABLE; the client backs off from here. */
const RETRY_AFTER_MS = 500;

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
  const logRefusal = (refusal: AuthError, req: IncomingMessage) => {
    try {
      options.onRefusal?.({
        closeCode: refusal.closeCode,
        httpStatus: refusal.httpStatus,
        reason: refusal.reason,
        detail: refusal.detail,
        remoteAddress: req.socket?.remoteAddress,
      });
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
    // Invalid UTF-8 is answered like any malformed frame (ERR_INVALID_UTF8, the connection
    // stays) instead of ws closing with 1007: handleFrame checks the bytes itself.
    skipUTF8Validation: true,
    // Select the real protocol; the bearer entry is never echoed back.
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });
  const live = new Map<WebSocket, LiveSocket>();

  const authenticate = async (req: IncomingMessage, url: URL): Promise<{ token: VerifiedToken; threadId?: string }> => {
    checkOrigin(req.headers.origin, options.allowedOrigins, allowMissingOrigin);
    // One value per parameter: with `?userId=a&userId=b` "first wins" in one layer and "last
    // wins" in another is how checks get bypassed.
    const seen = new Set<string>();
    for (const key of url.searchParams.keys()) {
      if (seen.has(key)) throw badRequestError(`query parameter ${JSON.stringify(key)} given more than once`);
      seen.add(key);
    }
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

  /**
   * Answers a refused upgrade: an HTTP status, or (authFailure 'close', when the client offered
   * ssot.v1) a handshake followed by a close with the code. Never throws: a refusal that cannot
   * be written destroys the socket.
   */
  const refuse = (req: IncomingMessage, socket: Duplex, head: Buffer, error: unknown) => {
    try {
      const refusal =
        error instanceof AuthError
          ? error
          : new AuthError(CLOSE_CODES.INTERNAL_ERROR.code, CLOSE_CODES.INTERNAL_ERROR.httpStatus, 'internal error', 'internal error');
      if (!(error instanceof AuthError)) report(error);
      logRefusal(refusal, req);
      const offered = parseProtocolHeader(req.headers['sec-websocket-protocol']);
      if (authFailure === 'close' && offered.includes(SUBPROTOCOL) && socket.writable) {
        wss.handleUpgrade(req, socket, head, (ws) => {
          ws.on('error', ignoreSocketError);
          ws.close(refusal.closeCode, closeReason(refusal.reason));
        });
        return;
      }
      writeHttpRefusal(socket, refusal.httpStatus, refusal.closeCode, refusal.reason);
    } catch (err) {
      report(err);
      socket.destroy();
    }
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A peer reset during auth must not crash the process. A module-level no-op, not an inline
    // closure: the listener lives as long as the socket and a closure here would keep this
    // upgrade's req (all headers, the token), head and url alive for the connection's life.
    socket.on('error', ignoreSocketError);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      refuse(req, socket, head, badRequestError('the request URL does not parse'));
      return;
    }
    if (url.pathname !== path) {
      // On a shared http server another upgrade listener may own this path.
      if (ownsHttpServer || httpServer.listenerCount('upgrade') <= 1) writeHttpRefusal(socket, 404, CLOSE_CODES.BAD_REQUEST.code, 'not found');
      return;
    }
    authenticate(req, url)
      .then(
        (auth) => {
          if (!socket.writable) return void socket.destroy();
          wss.handleUpgrade(req, socket, head, (ws) => {
            socket.off('error', ignoreSocketError); // ws has its own error listener on the socket now
            onConnection(ws, auth.token, auth.threadId);
          });
        },
        (error: unknown) => refuse(req, socket, head, error),
      )
      .catch((err: unknown) => {
        // Nothing on the upgrade path may become an unhandled rejection (it would end the process).
        report(err);
        socket.destroy();
      });
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
    let handled: Promise<void> | void;
    try {
      handled = handleFrame(st, data, isBinary);
    } catch (err) {
      handled = Promise.reject(err);
    }
    handled?.catch((err: unknown) => {
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
        ws.close(CLOSE_CODES.UNAUTHORIZED.code, closeReason('token expired'));
      } else if (st.expiresAt < next) next = st.expiresAt;
    }
    if (next !== Infinity) scheduleExpiry(Math.max(next, now + EXPIRY_SWEEP_MIN_MS));
  };

  const onConnection = (ws: WebSocket, token: VerifiedToken, threadId: string | undefined) => {
    const connectionId = randomUUID();
    const userId = token.userId;
    const state = new LiveSocket(connectionId, userId, threadId, ws, ws.extensions === '', Date.now());
    live.set(ws, state);
    ws.on('error', onSocketError);
    ws.on('pong', onSocketPong);
    ws.on('close', onSocketClose);
    let position: MaybePromise<StreamPosition>;
    try {
      // Registered (and subscribed) first, then asked where the stream stands: every event after
      // that position reaches this socket, so a client that resumes from it loses nothing.
      hub.addConnection(state);
      position = hub.position(userId);
    } catch (err) {
      report(err, { connectionId, userId });
      ws.close(CLOSE_CODES.GOING_AWAY.code, closeReason('server not accepting connections'));
      return;
    }
    // A token is only good until it expires; so is the connection it opened.
    state.expiresAt = token.exp * 1000;
    scheduleExpiry(state.expiresAt);
    const established = (pos: StreamPosition) => {
      if (live.get(ws) !== state) return; // closed meanwhile
      ws.on('message', onSocketMessage);
      const frame: ConnectionEstablishedFrame = {
        type: 'connection_established',
        connectionId,
        userId,
        threadId: threadId ?? null,
        protocol: SUBPROTOCOL,
        heartbeatIntervalMs,
        maxPayload,
        epoch: pos.epoch,
        offset: pos.offset,
      };
      hub.sendFrameTo(connectionId, { ...frame });
    };
    if (!isThenable(position)) return established(position);
    position.then(established, (err: unknown) => {
      // Without the position the server cannot promise a lossless resume: the client retries.
      report(err, { connectionId, userId });
      if (live.get(ws) === state) ws.close(CLOSE_CODES.TRY_AGAIN_LATER.code, closeReason('event store unavailable, retry'));
    });
  };

  const sendError = (connectionId: string, code: string, message: string, extra: Partial<ErrorFrame> = {}) => {
    const frame: ErrorFrame = { type: 'error', code, message, ...extra };
    hub.sendFrameTo(connectionId, { ...frame });
  };

  /** Frames are handled synchronously where they can be (ping, confirmations); a resume may wait for the bus. */
  const handleFrame = (st: LiveSocket, data: RawData, isBinary: boolean): Promise<void> | void => {
    const { connectionId } = st;
    if (isBinary) return sendError(connectionId, ERROR_FRAME_CODES.BINARY_FRAME.code, 'binary frames are not supported; send JSON text');
    const bytes = rawToBuffer(data);
    if (!isUtf8(bytes)) return sendError(connectionId, ERROR_FRAME_CODES.INVALID_UTF8.code, 'text frame is not valid UTF-8');
    let frame: unknown;
    try {
      frame = JSON.parse(bytes.toString('utf8'));
    } catch {
      return sendError(connectionId, ERROR_FRAME_CODES.INVALID_JSON.code, 'frame is not valid JSON');
    }
    if (!isPlainObject(frame) || typeof frame.type !== 'string') {
      return sendError(connectionId, ERROR_FRAME_CODES.BAD_FRAME.code, 'frame must be a JSON object with a string "type"');
    }
    const type = frame.type;
    const bad = (message: string) => sendError(connectionId, ERROR_FRAME_CODES.BAD_FRAME.code, `${type}: ${message}`);
    switch (type) {
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
        if (!Number.isSafeInteger(seq) || (seq as number) < 1) return bad('seq must be an integer >= 1');
        if (status !== 'confirmed' && status !== 'failed') return bad('status must be "confirmed" or "failed"');
        if (!hub.confirm(connectionId, runId as string, seq as number, status)) {
          return sendError(connectionId, ERROR_FRAME_CODES.UNKNOWN_EVENT.code, `no event ${safeText(runId, MAX_ERROR_ECHO_BYTES)}#${String(seq)} was sent on this connection`);
        }
        hub.sendFrameTo(connectionId, { type: 'event_confirmation_received', runId, seq, status });
        return;
      }
      case 'resume': {
        const hasOffset = Object.hasOwn(frame, 'offset') || Object.hasOwn(frame, 'epoch');
        const hasRuns = Object.hasOwn(frame, 'runs');
        if (hasOffset === hasRuns) return bad('give either epoch and offset (resume the stream) or runs (refetch runs)');
        if (st.resuming) return bad('a resume is still running on this connection');
        let job: Promise<void>;
        if (hasOffset) {
          const { epoch, offset } = frame;
          if (typeof epoch !== 'string' || !EPOCH_PATTERN.test(epoch)) return bad('epoch must be the epoch string the server sent');
          if (!Number.isSafeInteger(offset) || (offset as number) < 0) return bad('offset must be an integer >= 0');
          job = resumeStream(st, { epoch, offset: offset as number });
        } else {
          const runs = frame.runs;
          if (!isPlainObject(runs)) return bad('runs must be an object of runId → last seq');
          // Own keys only, as a list: a run id "__proto__" is a run id like any other.
          const entries = Object.entries(runs);
          if (entries.length === 0) return bad('runs must name at least one run');
          if (entries.length > maxResumeRuns) return bad(`at most ${maxResumeRuns} runs per runs-resume (resume the stream by offset instead)`);
          for (const [runId, lastSeq] of entries) {
            if (idProblem(runId)) return bad('every run id must be a valid id');
            if (!Number.isSafeInteger(lastSeq) || (lastSeq as number) < 0) return bad('every last seq must be an integer >= 0');
          }
          job = resumeRuns(st, entries as [string, number][]);
        }
        st.resuming = true;
        return job.finally(() => {
          st.resuming = false;
        });
      }
      default:
        return sendError(
          connectionId,
          ERROR_FRAME_CODES.UNKNOWN_TYPE.code,
          `unknown frame type "${safeText(type, MAX_ERROR_ECHO_BYTES)}"; expected one of ${CLIENT_FRAME_TYPES.join(', ')}`,
        );
    }
  };

  /** Sends ERR_UNAVAILABLE for a bus outage (retryable) and true; false for any other error. */
  const unavailable = (connectionId: string, err: unknown): boolean => {
    if (!(err instanceof CanonicalError) || err.code !== 'ERR_BUS_UNAVAILABLE') return false;
    sendError(connectionId, ERROR_FRAME_CODES.UNAVAILABLE.code, 'the event store is unreachable; send the same resume again later', { retryAfterMs: RETRY_AFTER_MS });
    return true;
  };

  const resumeStream = async (st: LiveSocket, from: StreamPosition): Promise<void> => {
    const { connectionId, userId } = st;
    let result;
    try {
      const r = hub.replayUser(userId, from);
      result = isThenable(r) ? await r : r;
    } catch (err) {
      if (unavailable(connectionId, err)) return;
      throw err;
    }
    if (result.status === 'gap') {
      const gap: StreamGapFrame = {
        type: 'replay_gap',
        scope: 'stream',
        reason: result.reason,
        epoch: result.position.epoch,
        fromOffset: result.fromOffset,
        availableFrom: result.availableFrom,
        runs: result.runs,
        runsTruncated: result.runsTruncated,
      };
      hub.sendFrameTo(connectionId, { ...gap });
    }
    const replayed = await hub.replayTo(connectionId, result.frames);
    const done: StreamResumeCompleteFrame = {
      type: 'resume_complete',
      scope: 'stream',
      epoch: result.position.epoch,
      offset: result.position.offset,
      replayed,
      status: result.status,
    };
    hub.sendFrameTo(connectionId, { ...done });
  };

  const resumeRuns = async (st: LiveSocket, entries: [string, number][]): Promise<void> => {
    const { connectionId, userId } = st;
    const summary: [string, RunsResumeCompleteFrame['runs'][string]][] = [];
    for (const [runId, lastSeq] of entries) {
      let result;
      try {
        const r = hub.replay(userId, runId, lastSeq);
        result = isThenable(r) ? await r : r;
      } catch (err) {
        if (unavailable(connectionId, err)) return;
        throw err;
      }
      // Another user's run and an unknown run take exactly this path: the same frames.
      if (result.status !== 'ok') {
        const gap: RunGapFrame =
          result.status === 'gap'
            ? { type: 'replay_gap', scope: 'run', runId, fromSeq: result.fromSeq, availableFrom: result.availableFrom, reason: 'trimmed' }
            : { type: 'replay_gap', scope: 'run', runId, fromSeq: lastSeq + 1, availableFrom: null, reason: 'unknown_run' };
        hub.sendFrameTo(connectionId, { ...gap });
      }
      const replayed = result.status === 'unknown' ? 0 : await hub.replayTo(connectionId, result.frames);
      summary.push([runId, { replayed, lastSeq: result.status === 'unknown' ? null : result.lastSeq, status: result.status }]);
    }
    // fromEntries defines own properties: a run id "__proto__" stays a key, never a prototype.
    const done: RunsResumeCompleteFrame = { type: 'resume_complete', scope: 'run', runs: Object.fromEntries(summary) };
    hub.sendFrameTo(connectionId, { ...done });
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
              ws.close(CLOSE_CODES.GOING_AWAY.code, closeReason('server shutting down'));
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

function rawToBuffer(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return data;
}

/** Answers a refused upgrade with a plain HTTP status (the socket never becomes a WebSocket). */
function writeHttpRefusal(socket: Duplex, status: number, closeCode: number, reason: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ error: safeText(reason, 256), closeCode });
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
