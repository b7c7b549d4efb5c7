/**
 * The bench client process: `node --import tsx bench/canonical/clients.ts`. Opens N raw `ws`
 * connections offering `ssot.v1` + `bearer.<jwt>` (the same handshake bytes for either server),
 * then counts frames (throughput) or reads each event's `ts` (latency) on command.
 *
 * Against the Socket.IO baseline (`protocol: 'socketio'`) the same `ws` client speaks the Engine.IO
 * v4 / Socket.IO v5 wire protocol itself: answers the open packet with a CONNECT carrying the JWT
 * (`40{"token":…}`), answers pings (`2` → `3`) and counts event packets (`42[…]`) — counted without
 * parsing, like the other servers' frames, so the client process costs the same per frame whichever
 * server it measures (socket.io-client would parse every packet into objects first).
 */
import { setPriority } from 'node:os';
import { WebSocket } from 'ws';
import { mintToken, tokenProtocols } from '../../canonical/index.js';
import { serveCommands } from './channel.js';
import { gcTake, gcWatch } from './gc-watch.js';
import { BENCH_AUTH, epochNow, percentile, userIdOf } from './workload.js';

type Mode = 'idle' | 'count' | 'latency';

// BENCH_CANONICAL_CLIENT_NICE=n: this process at niceness n (see bench/canonical.ts).
const nice = Number(process.env.BENCH_CANONICAL_CLIENT_NICE ?? 0);
if (Number.isInteger(nice) && nice > 0) setPriority(nice);

const sockets: WebSocket[] = [];
let mode: Mode = 'idle';
let frames = 0;
let bytes = 0;
let expect = 0;
let firstAt = 0;
let lastAt = 0;
let latencies: number[] = [];
let received = new Float64Array(0);
let notEvents = 0;
let closedAfterOpen = 0;
let errorsAfterOpen = 0;
const closeCodes = new Map<number, number>();
// Sockets this process closed on command: their close is not an error of the server.
const closing = new WeakSet<WebSocket>();
let onReached: (() => void) | undefined;
/** This process's CPU usage when the count was armed: `wait` reports the CPU spent receiving. */
let armedCpu: NodeJS.CpuUsage | undefined;

/** A socket's user index (userIdOf(prefix, index)): where its events' receive times go in `received`. */
const indexOf = new WeakMap<WebSocket, number>();

/**
 * Latency mode: an event's receive time (epochNow, sub-ms) at `user index × 5 + seq − 1`, the slot
 * of its send time in the server's stamps (one five-event run per user).
 */
function noteReceived(ws: WebSocket, seq: number, at: number): void {
  const i = indexOf.get(ws);
  const slot = i === undefined ? -1 : i * 5 + seq - 1;
  if (slot >= 0 && slot < received.length && seq >= 1 && seq <= 5) received[slot] = at;
}

function onMessage(this: WebSocket, data: Buffer | ArrayBuffer | Buffer[]): void {
  if (mode === 'idle') return;
  const now = mode === 'latency' ? Date.now() : 0;
  const at = mode === 'latency' ? epochNow() : 0;
  if (frames === 0) firstAt = epochNow();
  frames++;
  if (mode === 'count') {
    bytes += (data as Buffer).length;
  } else {
    // The envelope's ts is Date.now() on the server: compare with the same clock here.
    const frame = JSON.parse((data as Buffer).toString('utf8')) as { ts?: unknown; seq?: unknown };
    if (typeof frame.ts === 'number' && typeof frame.seq === 'number') {
      latencies.push(now - frame.ts);
      noteReceived(this, frame.seq, at);
    } else notEvents++;
  }
  if (frames === expect) {
    lastAt = epochNow();
    onReached?.();
  }
}

/** A Socket.IO packet: events are counted like frames; the Engine.IO ping is answered. */
function onSocketIoMessage(this: WebSocket, data: Buffer | ArrayBuffer | Buffer[]): void {
  const b = data as Buffer;
  if (b[0] === 0x34 && b[1] === 0x32) {
    // "42" + JSON array ["event", envelope]
    if (mode === 'idle') return;
    const now = mode === 'latency' ? Date.now() : 0;
    const at = mode === 'latency' ? epochNow() : 0;
    if (frames === 0) firstAt = epochNow();
    frames++;
    if (mode === 'count') bytes += b.length;
    else {
      const [, frame] = JSON.parse(b.toString('utf8', 2)) as [string, { ts?: unknown; seq?: unknown }];
      if (typeof frame?.ts === 'number' && typeof frame.seq === 'number') {
        latencies.push(now - frame.ts);
        noteReceived(this, frame.seq, at);
      } else notEvents++;
    }
    if (frames === expect) {
      lastAt = epochNow();
      onReached?.();
    }
  } else if (b.length === 1 && b[0] === 0x32) this.send('3'); // Engine.IO ping → pong
}

function openOne(index: number, url: string, protocols: string[], socketIoToken?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, socketIoToken === undefined ? protocols : [], { perMessageDeflate: false, handshakeTimeout: 60_000 });
    indexOf.set(ws, index);
    let opened = false;
    if (socketIoToken === undefined) {
      ws.on('open', () => {
        opened = true;
        resolve(ws);
      });
    } else {
      // Open packet "0{…}" → CONNECT to "/" with the token; "40{…}" connected, "44{…}" refused.
      const handshake = (data: Buffer) => {
        const text = data.toString('utf8');
        if (text.startsWith('0')) ws.send(`40${JSON.stringify({ token: socketIoToken })}`);
        else if (text.startsWith('40')) {
          opened = true;
          ws.off('message', handshake);
          ws.on('message', onSocketIoMessage);
          resolve(ws);
        } else if (text.startsWith('44')) {
          reject(new Error(`socket.io connect refused: ${text.slice(2, 200)}`));
          ws.terminate();
        }
      };
      ws.on('message', handshake);
    }
    ws.on('unexpected-response', (_req, res) => {
      reject(new Error(`HTTP ${res.statusCode} ${String(res.headers['x-ssot-close-code'] ?? '')}`));
      ws.terminate();
    });
    ws.on('error', (err) => {
      if (opened) errorsAfterOpen++;
      else reject(err);
    });
    ws.on('close', (code) => {
      if (!opened) return reject(new Error(`closed ${code} before open`));
      if (closing.has(ws)) return;
      closedAfterOpen++;
      closeCodes.set(code, (closeCodes.get(code) ?? 0) + 1);
    });
    if (socketIoToken === undefined) ws.on('message', onMessage);
  });
}

serveCommands({
  /** Opens n connections for users prefix0…prefix{n-1}, at most `concurrency` handshakes at a time. */
  async connect(args) {
    const url = String(args.url);
    const n = Number(args.n);
    const prefix = String(args.prefix);
    const concurrency = Number(args.concurrency ?? 200);
    const socketIo = args.protocol === 'socketio';
    const key = new TextEncoder().encode(BENCH_AUTH.secret);
    const start = epochNow();
    let next = 0;
    let opened = 0;
    const errors: string[] = [];
    let failed = 0;
    const worker = async () => {
      while (next < n) {
        const index = next++;
        const userId = userIdOf(prefix, index);
        try {
          const token = await mintToken({ userId, key, issuer: BENCH_AUTH.issuer, audience: BENCH_AUTH.audience, expiresIn: '1h' });
          sockets.push(
            socketIo
              ? await openOne(index, url, [], token)
              : await openOne(index, `${url}?userId=${encodeURIComponent(userId)}`, tokenProtocols(token)),
          );
          opened++;
        } catch (err) {
          failed++;
          if (errors.length < 5) errors.push(`${userId}: ${(err as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
    return { opened, failed, errors, ms: epochNow() - start };
  },
  /** Starts counting (mode count) or timing (mode latency) the next `expect` frames. */
  arm(args) {
    mode = args.mode === 'latency' ? 'latency' : 'count';
    expect = Number(args.expect);
    frames = 0;
    bytes = 0;
    firstAt = 0;
    lastAt = 0;
    latencies = [];
    received = new Float64Array(mode === 'latency' ? expect : 0).fill(Number.NaN);
    notEvents = 0;
    armedCpu = process.cpuUsage();
    return true;
  },
  /** Resolves when the armed count arrived, or after timeoutMs with what did. */
  async wait(args) {
    const timeoutMs = Number(args.timeoutMs ?? 60_000);
    if (frames < expect) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        onReached = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      onReached = undefined;
    }
    const cpu = process.cpuUsage(armedCpu);
    const result: Record<string, unknown> = { frames, expect, bytes, firstAt, lastAt, complete: frames >= expect, cpuMicros: cpu.user + cpu.system };
    if (mode === 'latency') {
      const sorted = latencies.sort((a, b) => a - b);
      Object.assign(result, { events: sorted.length, notEvents, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN });
      // args.received: each event's receive time (epochNow), to be joined with the server's send stamps.
      if (args.received === true) result.received = Array.from(received);
    }
    mode = 'idle';
    return result;
  },
  stats() {
    const open = sockets.filter((s) => s.readyState === WebSocket.OPEN).length;
    return { sockets: sockets.length, open, closedAfterOpen, errorsAfterOpen, closeCodes: Object.fromEntries(closeCodes) };
  },
  memory: () => process.memoryUsage(),
  gcWatch,
  gcTake,
  closeAll() {
    for (const s of sockets) {
      closing.add(s);
      s.terminate();
    }
    sockets.length = 0;
    return true;
  },
});
