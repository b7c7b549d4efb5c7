/**
 * The canonical client. Works with Node (`ws`, loaded lazily) and with a browser WebSocket:
 * it only uses the WHATWG surface (constructor(url, protocols), addEventListener, send, close).
 * It authenticates through the subprotocol list and keeps two cursors:
 * - the user's stream position (epoch + offset): on every (re)connect it resumes with this one
 *   pair, whatever number of runs it has, and gets every event after it — runs born while it was
 *   away included — or an explicit gap; a hole in the offsets it receives is filled the same way;
 * - the last seq per run: events are handed over in seq order per run, each exactly once
 *   (duplicates dropped, an early event held until the ones before it arrive).
 */
import { CLOSE_CODES, ERROR_FRAME_CODES, TERMINAL_CLOSE_CODES } from './close-codes.js';
import { isEventEnvelope } from './events.js';
import type { EventEnvelope } from './events.js';
import { tokenProtocols } from './wire.js';
import type { ClientFrame, ConnectionEstablishedFrame, ErrorFrame, ReplayGapFrame, StreamGapFrame, StreamResumeCompleteFrame } from './wire.js';

/** The WHATWG WebSocket subset the client needs (a browser WebSocket and a `ws` WebSocket both fit). */
export interface WebSocketLike {
  readonly readyState: number;
  readonly protocol: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: any) => void): void;
}
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export interface ReconnectOptions {
  /** First retry delay; doubles per attempt up to maxDelayMs, with jitter. Default 250 ms. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Give up after this many consecutive failed attempts. Default unlimited. */
  maxAttempts?: number;
}

/** Where the client stands in the user's stream: persist it (with `cursors()`) to resume after a reload. */
export interface ClientPosition {
  epoch: string;
  offset: number;
}

export interface ClientOptions {
  /** ws://host:port/ws (the server's url()). */
  url: string;
  /** A fixed token, or getToken for a fresh one per (re)connect — needed to recover from 4401. */
  token?: string;
  getToken?: () => string | Promise<string>;
  /** Binds the connection to a thread at connect (query parameter). */
  threadId?: string;
  /** WebSocket implementation; default globalThis.WebSocket, else the `ws` package. */
  WebSocket?: WebSocketConstructor;
  /** Stream position from a previous session (`position()`): the first connect resumes from it. */
  position?: ClientPosition;
  /** Last seq per run from a previous session (`cursors()`): events up to them count as delivered. */
  cursors?: Record<string, number>;
  /** false disables reconnecting. */
  reconnect?: false | ReconnectOptions;
  /** App-level ping interval (browsers cannot send ping frames); 0 disables. Default 25 s. */
  heartbeatIntervalMs?: number;
  /** How long a hole (in the offsets or in a run) waits before the client asks the server to fill it. Default 100 ms. */
  gapFillDelayMs?: number;
  /** Runs whose last seq the client remembers (completed runs are forgotten first). Default 10 000. */
  maxTrackedRuns?: number;
}

export interface DisconnectInfo {
  code: number;
  reason: string;
  willReconnect: boolean;
}

export interface ClientEvents {
  event: EventEnvelope;
  connected: ConnectionEstablishedFrame;
  disconnected: DisconnectInfo;
  /** A run's events (scope 'run') or part of the stream (scope 'stream', with the runs that lost events) are gone. */
  gap: ReplayGapFrame;
  error: ErrorFrame;
  /** Every parsed server frame that is not an event envelope (control frames, app messages). */
  frame: { type: string; [k: string]: unknown };
}

/** The first connection failed; closeCode follows the documented table (HTTP statuses mapped). */
export class ClientConnectError extends Error {
  readonly closeCode: number;
  readonly httpStatus: number | undefined;
  constructor(closeCode: number, reason: string, httpStatus?: number) {
    super(`connection refused (${closeCode}${httpStatus ? `, HTTP ${httpStatus}` : ''}): ${reason}`);
    this.name = 'ClientConnectError';
    this.closeCode = closeCode;
    this.httpStatus = httpStatus;
  }
}

export interface SsotClient {
  readonly connectionId: string | undefined;
  readonly userId: string | undefined;
  /** The current underlying socket (replaced on reconnect). */
  readonly socket: WebSocketLike | undefined;
  readonly stats: { delivered: number; duplicatesDropped: number; reconnects: number; gaps: number; resumes: number; resumeRetries: number };
  on<K extends keyof ClientEvents>(type: K, listener: (payload: ClientEvents[K]) => void): () => void;
  /** Last seq handed over for the run (0 if none). */
  lastSeq(runId: string): number;
  /** Last seq per tracked run, to persist and pass back as `cursors`. */
  cursors(): Record<string, number>;
  /** The stream position (epoch, last offset received without a hole), to persist and pass back as `position`. */
  position(): ClientPosition | undefined;
  /** Sends a raw client frame; false if the socket is not open. */
  send(frame: ClientFrame | Record<string, unknown>): boolean;
  confirm(runId: string, seq: number, status?: 'confirmed' | 'failed'): boolean;
  bindThread(threadId: string): boolean;
  /** Asks the server to replay one run after `afterSeq` (duplicates are dropped). */
  resync(runId: string, afterSeq?: number): boolean;
  /** Closes for good (no reconnect). */
  close(code?: number, reason?: string): Promise<void>;
}

const OPEN = 1;

interface RunCursor {
  lastSeq: number;
  pending: Map<number, EventEnvelope>;
  completed: boolean;
  gapTimer?: ReturnType<typeof setTimeout> | undefined;
}

/** Offsets seen above the contiguous position that the client keeps at most before resuming anyway. */
const MAX_HELD_OFFSETS = 100_000;

function unref(timer: ReturnType<typeof setTimeout> | ReturnType<typeof setInterval>): void {
  (timer as { unref?: () => void }).unref?.();
}

async function defaultWebSocket(): Promise<WebSocketConstructor> {
  const g = globalThis as { WebSocket?: WebSocketConstructor };
  if (g.WebSocket) return g.WebSocket;
  const specifier = 'ws'; // a variable keeps browser bundlers from resolving the Node package
  const mod = (await import(specifier)) as { WebSocket: WebSocketConstructor };
  return mod.WebSocket;
}

/** Maps a Node `ws` "Unexpected server response: 401" to the documented close code. */
function refusalFromError(message: string | undefined): { code: number; status: number } | undefined {
  const m = /Unexpected server response: (\d{3})/.exec(message ?? '');
  if (!m) return undefined;
  const status = Number(m[1]);
  const entry = Object.values(CLOSE_CODES).find((e) => e.httpStatus === status);
  return { code: entry?.code ?? CLOSE_CODES.ABNORMAL.code, status };
}

/** Connects and resolves once the server sent connection_established; rejects if the first attempt is refused. */
export async function connectClient(options: ClientOptions): Promise<SsotClient> {
  if (!options.token && !options.getToken) throw new TypeError('connectClient needs token or getToken');
  const WS = options.WebSocket ?? (await defaultWebSocket());
  const reconnect = options.reconnect === false ? undefined : { initialDelayMs: 250, maxDelayMs: 10_000, maxAttempts: Infinity, ...options.reconnect };
  const retry = { initialDelayMs: 250, maxDelayMs: 10_000, ...(options.reconnect || {}) };
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 25_000;
  const gapFillDelayMs = options.gapFillDelayMs ?? 100;
  const maxTrackedRuns = options.maxTrackedRuns ?? 10_000;

  const listeners = new Map<keyof ClientEvents, Set<(p: any) => void>>();
  const emit = <K extends keyof ClientEvents>(type: K, payload: ClientEvents[K]) => {
    const set = listeners.get(type);
    if (!set) return;
    for (const l of [...set]) {
      try {
        l(payload);
      } catch (err) {
        // A failing app handler must not break ordering for the next events.
        setTimeout(() => {
          throw err;
        }, 0);
      }
    }
  };
  // Runs in least-recently-used order (a touched run is re-inserted).
  const runs = new Map<string, RunCursor>();
  for (const [runId, seq] of Object.entries(options.cursors ?? {})) {
    if (Number.isSafeInteger(seq) && seq >= 0) runs.set(runId, { lastSeq: seq, pending: new Map(), completed: false });
  }
  const stats = { delivered: 0, duplicatesDropped: 0, reconnects: 0, gaps: 0, resumes: 0, resumeRetries: 0 };

  // ---- the stream cursor -----------------------------------------------------------------
  // Every offset <= streamOffset (of `epoch`) was received or declared lost; `held` has the
  // offsets received above it (a hole below them is being filled).
  let epoch: string | undefined = options.position?.epoch;
  let streamOffset = options.position?.offset ?? 0;
  const held = new Set<number>();
  let streamGapTimer: ReturnType<typeof setTimeout> | undefined;
  /** A resume frame is out and not yet answered (resume_complete or an error), and which kind. */
  let resuming: 'stream' | 'runs' | undefined;
  let lastResume: Record<string, unknown> | undefined;
  let resumeRetries = 0;
  let resumeRetryTimer: ReturnType<typeof setTimeout> | undefined;
  /** (epoch, offset) of events that arrived while a stream resume was out: applied once it completes. */
  let seenWhileResuming: [string, number][] = [];
  /**
   * Frames that arrived on this socket before connection_established (an async bus), or on the
   * first connection before the caller could attach its listeners: handled, in arrival order,
   * once it can.
   */
  let early: unknown[] | undefined;
  let everResolved = false;

  let socket: WebSocketLike | undefined;
  let connectionId: string | undefined;
  let userId: string | undefined;
  let closedByUser = false;
  let attempts = 0;
  let everConnected = false;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let lastFrameAt = Date.now();
  let resolveFirst!: (c: SsotClient) => void;
  let rejectFirst!: (e: Error) => void;
  const first = new Promise<SsotClient>((res, rej) => {
    resolveFirst = res;
    rejectFirst = (err) => {
      closedByUser = true; // a refused first attempt ends the client: stop timers, no retries
      clearInterval(heartbeat);
      rej(err);
    };
  });
  let closedResolve: (() => void) | undefined;

  const cursor = (runId: string): RunCursor => {
    let c = runs.get(runId);
    if (c) {
      runs.delete(runId); // LRU order
    } else {
      c = { lastSeq: 0, pending: new Map(), completed: false };
    }
    runs.set(runId, c);
    if (runs.size > maxTrackedRuns) evictRun();
    return c;
  };

  /** Forgets a completed run first (nothing of it can come any more), else the least recently used. */
  const evictRun = () => {
    let victim: string | undefined;
    let looked = 0;
    for (const [runId, c] of runs) {
      if (c.completed && c.pending.size === 0) {
        victim = runId;
        break;
      }
      if (++looked >= 64) break;
    }
    victim ??= runs.keys().next().value;
    if (victim === undefined) return;
    clearTimeout(runs.get(victim)?.gapTimer);
    runs.delete(victim);
  };

  const deliver = (c: RunCursor, e: EventEnvelope) => {
    c.lastSeq = e.seq;
    if (e.type === 'agent_completed') c.completed = true;
    stats.delivered++;
    emit('event', e);
  };

  const drain = (c: RunCursor) => {
    for (const seq of [...c.pending.keys()]) if (seq <= c.lastSeq) c.pending.delete(seq);
    let next = c.pending.get(c.lastSeq + 1);
    while (next) {
      c.pending.delete(next.seq);
      deliver(c, next);
      next = c.pending.get(c.lastSeq + 1);
    }
    if (c.pending.size === 0) {
      clearTimeout(c.gapTimer);
      c.gapTimer = undefined;
    }
  };

  const streamHasHole = () => held.size > 0;

  /** Moves the contiguous position up over held offsets; arms the fill timer while a hole remains. */
  const advance = () => {
    while (held.has(streamOffset + 1)) held.delete(++streamOffset);
    for (const o of held) if (o <= streamOffset) held.delete(o);
    if (held.size === 0) {
      clearTimeout(streamGapTimer);
      streamGapTimer = undefined;
      return;
    }
    if (held.size > MAX_HELD_OFFSETS) held.clear(); // something is badly off: resume re-fetches all of it
    if (!streamGapTimer) {
      streamGapTimer = setTimeout(() => {
        streamGapTimer = undefined;
        if (streamHasHole() && !resuming) resumeStream();
      }, gapFillDelayMs);
      unref(streamGapTimer);
    }
  };

  /** The stream side of an arriving event; false if it is an old offset of a run this client does not track (a duplicate). */
  const noteOffset = (e: EventEnvelope): boolean => {
    if (resuming === 'stream') {
      seenWhileResuming.push([e.epoch, e.offset]);
      return true;
    }
    if (e.epoch !== epoch) {
      // The stream restarted (the server lost or dropped it): count from the new epoch's start.
      epoch = e.epoch;
      streamOffset = 0;
      held.clear();
    }
    // An offset already passed: only a per-run refetch of a run this client follows sends those.
    if (e.offset <= streamOffset) return runs.has(e.runId);
    held.add(e.offset);
    advance();
    return true;
  };

  const onEnvelope = (e: EventEnvelope) => {
    if (!noteOffset(e)) return; // before this client's first position, of a run it never followed
    const c = cursor(e.runId);
    if (e.seq <= c.lastSeq || c.pending.has(e.seq)) {
      stats.duplicatesDropped++;
      return;
    }
    if (e.seq === c.lastSeq + 1) {
      deliver(c, e);
      drain(c);
      return;
    }
    c.pending.set(e.seq, e);
    if (!c.gapTimer) {
      c.gapTimer = setTimeout(() => {
        c.gapTimer = undefined;
        if (c.pending.size === 0) return;
        // A hole in the stream is filled by one stream resume; only a run that began before
        // this client's first position (it joined mid-run) needs a per-run refetch.
        if (streamHasHole() || resuming) {
          c.gapTimer = setTimeout(() => {
            c.gapTimer = undefined;
            if (c.pending.size > 0 && !streamHasHole() && !resuming) client.resync(e.runId, c.lastSeq);
          }, gapFillDelayMs * 4);
          unref(c.gapTimer);
          return;
        }
        client.resync(e.runId, c.lastSeq);
      }, gapFillDelayMs);
      unref(c.gapTimer);
    }
  };

  const sendResume = (frame: Record<string, unknown>): boolean => {
    if (!client.send(frame)) return false;
    lastResume = frame;
    resuming = frame.runs === undefined ? 'stream' : 'runs';
    seenWhileResuming = [];
    stats.resumes++;
    return true;
  };

  const resumeStream = () => {
    if (epoch === undefined) return;
    sendResume({ type: 'resume', epoch, offset: streamOffset });
  };

  const onStreamComplete = (f: StreamResumeCompleteFrame) => {
    resuming = undefined;
    resumeRetries = 0;
    if (f.epoch !== epoch) {
      epoch = f.epoch;
      streamOffset = 0;
      held.clear();
    }
    streamOffset = Math.max(streamOffset, f.offset);
    for (const [ep, o] of seenWhileResuming) if (ep === epoch && o > streamOffset) held.add(o);
    seenWhileResuming = [];
    advance();
    // Runs still waiting for a seq are resolved by their own timers (per-run refetch).
  };

  const onStreamGap = (g: StreamGapFrame) => {
    if (g.epoch !== epoch) {
      epoch = g.epoch;
      streamOffset = 0;
      held.clear();
    }
    if (g.availableFrom !== null) streamOffset = Math.max(streamOffset, g.availableFrom - 1);
    for (const lost of g.runs) {
      const c = cursor(lost.runId);
      // What is gone of the run is skipped, so what is left (it follows) is handed over.
      c.lastSeq = Math.max(c.lastSeq, lost.availableFrom !== null ? lost.availableFrom - 1 : lost.lastSeq);
      drain(c);
    }
  };

  const onGap = (g: ReplayGapFrame) => {
    stats.gaps++;
    if (g.scope === 'stream') {
      onStreamGap(g);
    } else {
      const c = cursor(g.runId);
      if (g.availableFrom !== null) {
        c.lastSeq = Math.max(c.lastSeq, g.availableFrom - 1);
      } else if (c.pending.size > 0) {
        c.lastSeq = Math.max(c.lastSeq, Math.min(...c.pending.keys()) - 1);
      }
      drain(c);
    }
    emit('gap', g);
  };

  const onUnavailable = (f: ErrorFrame) => {
    // The server could not reach its event store for our resume: send the same resume again, with backoff.
    resuming = undefined;
    const frame = lastResume;
    if (!frame) return;
    const base = Math.min(retry.maxDelayMs, Math.max(f.retryAfterMs ?? 0, retry.initialDelayMs * 2 ** Math.min(resumeRetries, 16)));
    resumeRetries++;
    stats.resumeRetries++;
    clearTimeout(resumeRetryTimer);
    resumeRetryTimer = setTimeout(() => {
      resumeRetryTimer = undefined;
      if (resuming || closedByUser) return;
      // A stream resume goes from where the client stands now (live events may have moved it).
      if (frame.runs === undefined) resumeStream();
      else sendResume(frame);
    }, base * (0.5 + Math.random() * 0.5));
    unref(resumeRetryTimer);
  };

  const onEstablished = (est: ConnectionEstablishedFrame) => {
    connectionId = est.connectionId;
    userId = est.userId;
    if (everConnected) stats.reconnects++;
    everConnected = true;
    attempts = 0;
    resuming = undefined;
    resumeRetries = 0;
    const pending = early ?? [];
    early = undefined;
    if (epoch === undefined) {
      // A first connect without a stored position starts here: every event after it counts.
      epoch = est.epoch;
      streamOffset = est.offset;
      held.clear();
    } else if (est.epoch !== epoch || est.offset !== streamOffset || held.size > 0) {
      resumeStream();
    }
    emit('connected', est);
    if (everResolved) {
      for (const f of pending) dispatch(f);
      return;
    }
    // The first connect: the caller attaches its listeners when connectClient() resolves, so no
    // frame may be handed over before that. Hold them (and any arriving meanwhile) one more turn.
    everResolved = true;
    early = pending;
    resolveFirst(client);
    const release = setTimeout(() => {
      if (early !== pending) return; // this socket closed meanwhile: a resume brings them again
      early = undefined;
      for (const f of pending) dispatch(f);
    }, 0);
    unref(release);
  };

  const onMessage = (event: { data: unknown }) => {
    lastFrameAt = Date.now();
    if (typeof event.data !== 'string') return;
    let frame: unknown;
    try {
      frame = JSON.parse(event.data);
    } catch {
      return;
    }
    const established = (frame as { type?: unknown } | null)?.type === 'connection_established';
    if (early && !established) early.push(frame);
    else dispatch(frame);
  };

  const dispatch = (frame: unknown) => {
    if (isEventEnvelope(frame)) return onEnvelope(frame);
    if (frame === null || typeof frame !== 'object' || typeof (frame as { type?: unknown }).type !== 'string') return;
    const f = frame as ClientEvents['frame'];
    if (f.type === 'connection_established') {
      onEstablished(f as unknown as ConnectionEstablishedFrame);
    } else if (f.type === 'replay_gap') {
      onGap(f as unknown as ReplayGapFrame);
    } else if (f.type === 'resume_complete') {
      if (f.scope === 'stream') onStreamComplete(f as unknown as StreamResumeCompleteFrame);
      else resuming = undefined;
    } else if (f.type === 'error') {
      const err = f as unknown as ErrorFrame;
      if (err.code === ERROR_FRAME_CODES.UNAVAILABLE.code) onUnavailable(err);
      emit('error', err);
    }
    emit('frame', f);
  };

  const scheduleReconnect = (): boolean => {
    if (!reconnect || closedByUser || attempts >= reconnect.maxAttempts) return false;
    const base = Math.min(reconnect.maxDelayMs, reconnect.initialDelayMs * 2 ** attempts);
    attempts++;
    reconnectTimer = setTimeout(() => void open(), base * (0.5 + Math.random() * 0.5));
    unref(reconnectTimer);
    return true;
  };

  const open = async () => {
    if (closedByUser) return;
    let token: string;
    try {
      token = options.getToken ? await options.getToken() : (options.token as string);
    } catch (err) {
      if (!everConnected) return rejectFirst(err as Error);
      if (!scheduleReconnect()) emit('disconnected', { code: CLOSE_CODES.UNAUTHORIZED.code, reason: 'getToken failed', willReconnect: false });
      return;
    }
    const url = new URL(options.url);
    if (options.threadId) url.searchParams.set('threadId', options.threadId);
    let ws: WebSocketLike;
    try {
      ws = new WS(url.toString(), tokenProtocols(token));
    } catch (err) {
      if (!everConnected) return rejectFirst(err as Error);
      scheduleReconnect();
      return;
    }
    socket = ws;
    early = [];
    let errorMessage: string | undefined;
    ws.addEventListener('error', (ev: { message?: string; error?: Error }) => {
      errorMessage = ev.message ?? ev.error?.message;
    });
    ws.addEventListener('message', onMessage);
    ws.addEventListener('open', () => {
      lastFrameAt = Date.now();
    });
    ws.addEventListener('close', (ev: { code: number; reason: string }) => {
      if (socket === ws) socket = undefined;
      connectionId = undefined;
      resuming = undefined;
      early = undefined;
      clearTimeout(resumeRetryTimer);
      clearTimeout(streamGapTimer);
      streamGapTimer = undefined;
      const refusal = refusalFromError(errorMessage);
      const code = refusal?.code ?? ev.code;
      const reason = ev.reason || errorMessage || '';
      if (closedByUser) {
        closedResolve?.();
        return;
      }
      if (!everConnected) {
        // 1013: the server could not reach its event store yet; the first connect retries too.
        if (code === CLOSE_CODES.TRY_AGAIN_LATER.code && scheduleReconnect()) return;
        rejectFirst(new ClientConnectError(code, reason, refusal?.status));
        return;
      }
      const terminal = TERMINAL_CLOSE_CODES.has(code) || (code === CLOSE_CODES.UNAUTHORIZED.code && !options.getToken);
      const willReconnect = !terminal && scheduleReconnect();
      emit('disconnected', { code, reason, willReconnect });
    });
  };

  const client: SsotClient = {
    get connectionId() {
      return connectionId;
    },
    get userId() {
      return userId;
    },
    get socket() {
      return socket;
    },
    stats,
    on(type, listener) {
      let set = listeners.get(type);
      if (!set) listeners.set(type, (set = new Set()));
      set.add(listener);
      return () => void set.delete(listener);
    },
    lastSeq(runId) {
      return runs.get(runId)?.lastSeq ?? 0;
    },
    cursors() {
      return Object.fromEntries([...runs].map(([runId, c]) => [runId, c.lastSeq]));
    },
    position() {
      return epoch === undefined ? undefined : { epoch, offset: streamOffset };
    },
    send(frame) {
      if (!socket || socket.readyState !== OPEN) return false;
      socket.send(JSON.stringify(frame));
      return true;
    },
    confirm(runId, seq, status = 'confirmed') {
      return client.send({ type: 'event_confirmation', runId, seq, status });
    },
    bindThread(threadId) {
      return client.send({ type: 'bind_thread', threadId });
    },
    resync(runId, afterSeq) {
      if (resuming) return false; // one resume at a time per connection; the running one answers first
      // Object.fromEntries: a run id "__proto__" is an own key, not a prototype.
      return sendResume({ type: 'resume', runs: Object.fromEntries([[runId, afterSeq ?? client.lastSeq(runId)]]) });
    },
    close(code = CLOSE_CODES.NORMAL.code, reason = 'client closed') {
      closedByUser = true;
      clearTimeout(reconnectTimer);
      clearTimeout(resumeRetryTimer);
      clearTimeout(streamGapTimer);
      clearInterval(heartbeat);
      for (const c of runs.values()) clearTimeout(c.gapTimer);
      const s = socket;
      if (!s || s.readyState > OPEN) return Promise.resolve();
      return new Promise<void>((resolve) => {
        closedResolve = resolve;
        s.close(code, reason);
      });
    },
  };

  if (heartbeatIntervalMs > 0) {
    // Detects a dead link from the client side too: no frame for two intervals → reconnect.
    heartbeat = setInterval(() => {
      const s = socket;
      if (!s || s.readyState !== OPEN) return;
      if (Date.now() - lastFrameAt > 2 * heartbeatIntervalMs) {
        const t = s as WebSocketLike & { terminate?: () => void };
        if (t.terminate) t.terminate();
        else s.close(4000, 'heartbeat timeout');
        return;
      }
      client.send({ type: 'ping' });
    }, heartbeatIntervalMs);
    unref(heartbeat);
  }

  void open();
  return first;
}
