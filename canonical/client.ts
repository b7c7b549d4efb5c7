/**
 * The canonical client. Works with Node (`ws`, loaded lazily) and with a browser WebSocket:
 * it only uses the WHATWG surface (constructor(url, protocols), addEventListener, send, close).
 * It authenticates through the subprotocol list, resumes with its last seq per run after a
 * reconnect, drops duplicates, holds early events until the gap before them is filled, and
 * hands events over in seq order per run.
 */
import { CLOSE_CODES, TERMINAL_CLOSE_CODES } from './close-codes.js';
import { isEventEnvelope } from './events.js';
import type { EventEnvelope } from './events.js';
import { tokenProtocols } from './wire.js';
import type { ClientFrame, ConnectionEstablishedFrame, ErrorFrame, ReplayGapFrame } from './wire.js';

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
  /** Last seq per run from a previous session (e.g. persisted in localStorage); resumed on connect. */
  cursors?: Record<string, number>;
  /** false disables reconnecting. */
  reconnect?: false | ReconnectOptions;
  /** App-level ping interval (browsers cannot send ping frames); 0 disables. Default 25 s. */
  heartbeatIntervalMs?: number;
  /** How long an out-of-order event waits before the client asks the server for the missing ones. Default 100 ms. */
  gapFillDelayMs?: number;
  /** Runs whose cursor the client remembers (LRU). Default 1000. */
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
  readonly stats: { delivered: number; duplicatesDropped: number; reconnects: number; gaps: number };
  on<K extends keyof ClientEvents>(type: K, listener: (payload: ClientEvents[K]) => void): () => void;
  /** Last seq handed over for the run (0 if none). */
  lastSeq(runId: string): number;
  /** Last seq per tracked run, to persist and pass back as `cursors`. */
  cursors(): Record<string, number>;
  /** Sends a raw client frame; false if the socket is not open. */
  send(frame: ClientFrame | Record<string, unknown>): boolean;
  confirm(runId: string, seq: number, status?: 'confirmed' | 'failed'): boolean;
  bindThread(threadId: string): boolean;
  /** Asks the server to replay the run after `afterSeq` (duplicates are dropped). */
  resync(runId: string, afterSeq?: number): boolean;
  /** Closes for good (no reconnect). */
  close(code?: number, reason?: string): Promise<void>;
}

const OPEN = 1;

interface RunCursor {
  lastSeq: number;
  pending: Map<number, EventEnvelope>;
  completed: boolean;
  gapTimer?: ReturnType<typeof setTimeout>;
}

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
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 25_000;
  const gapFillDelayMs = options.gapFillDelayMs ?? 100;
  const maxTrackedRuns = options.maxTrackedRuns ?? 1000;

  const listeners = new Map<keyof ClientEvents, Set<(p: any) => void>>();
  const emit = <K extends keyof ClientEvents>(type: K, payload: ClientEvents[K]) => {
    for (const l of [...(listeners.get(type) ?? [])]) {
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
  const runs = new Map<string, RunCursor>();
  for (const [runId, seq] of Object.entries(options.cursors ?? {})) {
    if (Number.isInteger(seq) && seq >= 0) runs.set(runId, { lastSeq: seq, pending: new Map(), completed: false });
  }
  const stats = { delivered: 0, duplicatesDropped: 0, reconnects: 0, gaps: 0 };
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
    while (runs.size > maxTrackedRuns) {
      const oldest = runs.keys().next().value;
      if (oldest === undefined) break;
      clearTimeout(runs.get(oldest)?.gapTimer);
      runs.delete(oldest);
    }
    return c;
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

  const onEnvelope = (e: EventEnvelope) => {
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
        if (c.pending.size > 0) client.resync(e.runId, c.lastSeq);
      }, gapFillDelayMs);
      unref(c.gapTimer);
    }
  };

  const onGap = (g: ReplayGapFrame) => {
    stats.gaps++;
    const c = cursor(g.runId);
    if (g.availableFrom !== null) {
      c.lastSeq = Math.max(c.lastSeq, g.availableFrom - 1);
    } else if (c.pending.size > 0) {
      c.lastSeq = Math.max(c.lastSeq, Math.min(...c.pending.keys()) - 1);
    }
    emit('gap', g);
    drain(c);
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
    if (isEventEnvelope(frame)) return onEnvelope(frame);
    if (frame === null || typeof frame !== 'object' || typeof (frame as { type?: unknown }).type !== 'string') return;
    const f = frame as ClientEvents['frame'];
    if (f.type === 'connection_established') {
      const est = f as unknown as ConnectionEstablishedFrame;
      connectionId = est.connectionId;
      userId = est.userId;
      if (everConnected) stats.reconnects++;
      everConnected = true;
      attempts = 0;
      const open: Record<string, number> = {};
      for (const [runId, c] of runs) if (!c.completed || c.pending.size > 0) open[runId] = c.lastSeq;
      if (Object.keys(open).length > 0) client.send({ type: 'resume', runs: open });
      emit('connected', est);
      resolveFirst(client);
    } else if (f.type === 'replay_gap') {
      onGap(f as unknown as ReplayGapFrame);
    } else if (f.type === 'error') {
      emit('error', f as unknown as ErrorFrame);
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
      const refusal = refusalFromError(errorMessage);
      const code = refusal?.code ?? ev.code;
      const reason = ev.reason || errorMessage || '';
      if (closedByUser) {
        closedResolve?.();
        return;
      }
      if (!everConnected) {
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
      return client.send({ type: 'resume', runs: { [runId]: afterSeq ?? client.lastSeq(runId) } });
    },
    close(code = CLOSE_CODES.NORMAL.code, reason = 'client closed') {
      closedByUser = true;
      clearTimeout(reconnectTimer);
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
