/**
 * The bench client process: `node --import tsx bench/canonical/clients.ts`. Opens N raw `ws`
 * connections offering `ssot.v1` + `bearer.<jwt>` (the same handshake bytes for either server),
 * then counts frames (throughput) or reads each event's `ts` (latency) on command.
 */
import { WebSocket } from 'ws';
import { mintToken, tokenProtocols } from '../../canonical/index.js';
import { serveCommands } from './channel.js';
import { BENCH_AUTH, epochNow, percentile, userIdOf } from './workload.js';

type Mode = 'idle' | 'count' | 'latency';

const sockets: WebSocket[] = [];
let mode: Mode = 'idle';
let frames = 0;
let bytes = 0;
let expect = 0;
let firstAt = 0;
let lastAt = 0;
let latencies: number[] = [];
let notEvents = 0;
let closedAfterOpen = 0;
let errorsAfterOpen = 0;
const closeCodes = new Map<number, number>();
// Sockets this process closed on command: their close is not an error of the server.
const closing = new WeakSet<WebSocket>();
let onReached: (() => void) | undefined;

function onMessage(data: Buffer | ArrayBuffer | Buffer[]): void {
  if (mode === 'idle') return;
  const now = mode === 'latency' ? Date.now() : 0;
  if (frames === 0) firstAt = epochNow();
  frames++;
  if (mode === 'count') {
    bytes += (data as Buffer).length;
  } else {
    // The envelope's ts is Date.now() on the server: compare with the same clock here.
    const frame = JSON.parse((data as Buffer).toString('utf8')) as { ts?: unknown; seq?: unknown };
    if (typeof frame.ts === 'number' && typeof frame.seq === 'number') latencies.push(now - frame.ts);
    else notEvents++;
  }
  if (frames === expect) {
    lastAt = epochNow();
    onReached?.();
  }
}

function openOne(url: string, protocols: string[]): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, { perMessageDeflate: false, handshakeTimeout: 60_000 });
    let opened = false;
    ws.on('open', () => {
      opened = true;
      resolve(ws);
    });
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
    ws.on('message', onMessage);
  });
}

serveCommands({
  /** Opens n connections for users prefix0…prefix{n-1}, at most `concurrency` handshakes at a time. */
  async connect(args) {
    const url = String(args.url);
    const n = Number(args.n);
    const prefix = String(args.prefix);
    const concurrency = Number(args.concurrency ?? 200);
    const key = new TextEncoder().encode(BENCH_AUTH.secret);
    const start = epochNow();
    let next = 0;
    let opened = 0;
    const errors: string[] = [];
    let failed = 0;
    const worker = async () => {
      while (next < n) {
        const userId = userIdOf(prefix, next++);
        try {
          const token = await mintToken({ userId, key, issuer: BENCH_AUTH.issuer, audience: BENCH_AUTH.audience, expiresIn: '1h' });
          sockets.push(await openOne(`${url}?userId=${encodeURIComponent(userId)}`, tokenProtocols(token)));
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
    notEvents = 0;
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
    const result: Record<string, unknown> = { frames, expect, bytes, firstAt, lastAt, complete: frames >= expect };
    if (mode === 'latency') {
      const sorted = latencies.sort((a, b) => a - b);
      Object.assign(result, { events: sorted.length, notEvents, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN });
    }
    mode = 'idle';
    return result;
  },
  stats() {
    const open = sockets.filter((s) => s.readyState === WebSocket.OPEN).length;
    return { sockets: sockets.length, open, closedAfterOpen, errorsAfterOpen, closeCodes: Object.fromEntries(closeCodes) };
  },
  memory: () => process.memoryUsage(),
  closeAll() {
    for (const s of sockets) {
      closing.add(s);
      s.terminate();
    }
    sockets.length = 0;
    return true;
  },
});
