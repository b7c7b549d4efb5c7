/**
 * Bench child for the shim suite: in-process loops, the shim against canonical called directly,
 * interleaved trial by trial (so load on the machine hits both alike), after warm-up.
 * Prints one JSON line: median CPU ns per operation of each side, the trial spreads, and the
 * median wall ns (for the notes).
 *
 *   SSOT_SHIM_TELEMETRY=off SSOT_SHIM_TOGGLES=off node --import tsx bench/shim/loop.ts [callN] [constructN] [trials]
 *
 * The shim runs as an app would see it: a facade-style alias over the frozen legacy class,
 * the process-wide runtime (canonical mode, no JSONL sink, warnings swallowed) and the
 * process-wide hub. Sockets are in-memory no-ops, so what differs is the shim's own work.
 */
import { createConnectionHub, createUserExecutionContext, createWebSocketManager, setDefaultHub } from '../../canonical/index.js';
import type { ScopedWebSocketManager, SocketLike, UserExecutionContext } from '../../canonical/index.js';
import { createShimRuntime, setShimRuntime } from '../../shim/index.js';
import { UnifiedWebSocketManager, UnifiedWebSocketManagerWithRegistration, WebSocketManagerMode } from './facade.js';

const [callN = 200_000, constructN = 50_000, trials = 9] = process.argv.slice(2).map(Number);

const runtime = createShimRuntime({ emitWarning: () => {} });
setShimRuntime(runtime);
const hub = createConnectionHub();
setDefaultHub(hub);

const socket: SocketLike = { readyState: 1, send() {} };
const USER = 'usr_bench_1';
const ctx = createUserExecutionContext({ userId: USER, threadId: 'thr_bench_1', runId: 'run_bench_1' });
await hub.addConnection({ connectionId: 'conn_bench_1', userId: USER, socket, connectedAt: new Date() });

// Same user, same hub, same socket: the shim-built manager (the templated canonical-mode object scoped to ctx) and canonical's own.
const viaShim = new UnifiedWebSocketManager(WebSocketManagerMode.UNIFIED, { userId: USER, threadId: 'thr_bench_1', runId: 'run_bench_1' });
const direct: ScopedWebSocketManager = createWebSocketManager(ctx, { hub });
// and one whose table has registration members (what strangle writes for a real facade)
const viaShimRegistration = new UnifiedWebSocketManagerWithRegistration(WebSocketManagerMode.UNIFIED, { userId: USER, threadId: 'thr_bench_1', runId: 'run_bench_1' });
if (runtime.modes.get('WSM001') !== 'canonical') throw new Error('bench expects canonical mode for WSM001');
if (!(viaShim instanceof UnifiedWebSocketManager)) throw new Error('alias instanceof failed');

const message = { type: 'status', payload: { step: 1 } };
let frames = 0;
socket.send = () => void frames++;

/**
 * Time per operation as process CPU time (user + system), not wall time: on a shared machine the
 * wall clock also counts the time this process waits for a core, which other tenants decide.
 */
function cpuNs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}
/** Wall time of the last trial (ns per operation), kept for the notes. */
let lastWallNs = 0;
const wallNs = (): number => Number(process.hrtime.bigint());

async function callTrial(target: { sendToUser(u: string, m: typeof message): Promise<void> }, n: number): Promise<number> {
  const [t, w] = [cpuNs(), wallNs()];
  for (let i = 0; i < n; i++) await target.sendToUser(USER, message);
  lastWallNs = (wallNs() - w) / n;
  return (cpuNs() - t) / n;
}

// Contexts built before timing: each construction binds a different user, as request handlers do.
const CTX_POOL = 1024;
const legacyCtx = Array.from({ length: CTX_POOL }, (_, i) => ({ userId: `usr_c${i}`, threadId: `thr_c${i}`, runId: `run_c${i}` }));
const canonicalCtx: UserExecutionContext[] = legacyCtx.map((c) => createUserExecutionContext(c));
let sink: unknown;

function constructShimTrial(n: number): number {
  const [t, w] = [cpuNs(), wallNs()];
  for (let i = 0; i < n; i++) sink = new UnifiedWebSocketManager(WebSocketManagerMode.UNIFIED, legacyCtx[i & (CTX_POOL - 1)]);
  lastWallNs = (wallNs() - w) / n;
  return (cpuNs() - t) / n;
}

function constructDirectTrial(n: number): number {
  const [t, w] = [cpuNs(), wallNs()];
  for (let i = 0; i < n; i++) sink = createWebSocketManager(canonicalCtx[i & (CTX_POOL - 1)]!, { hub });
  lastWallNs = (wallNs() - w) / n;
  return (cpuNs() - t) / n;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: number[]): [number, number] => [Math.min(...xs), Math.max(...xs)];

// Warm-up: let both paths reach optimised code before any trial counts.
for (let w = 0; w < 2; w++) {
  await callTrial(viaShim, callN / 4);
  await callTrial(direct, callN / 4);
  await callTrial(viaShimRegistration, callN / 4);
  constructShimTrial(constructN / 4);
  constructDirectTrial(constructN / 4);
}

const shimCall: number[] = [];
const shimRegCall: number[] = [];
const directCall: number[] = [];
const shimNew: number[] = [];
const directNew: number[] = [];
const wall = { shimCall: [] as number[], shimRegCall: [] as number[], directCall: [] as number[], shimNew: [] as number[], directNew: [] as number[] };
const keep = (cpu: number[], w: number[], ns: number): void => {
  cpu.push(ns);
  w.push(lastWallNs);
};
for (let t = 0; t < trials; t++) {
  // Alternate which side goes first so drift in machine load does not favour one.
  const shimFirst = t % 2 === 0;
  for (const side of shimFirst ? ['shim', 'direct', 'registration'] : ['registration', 'direct', 'shim']) {
    if (side === 'shim') keep(shimCall, wall.shimCall, await callTrial(viaShim, callN));
    else if (side === 'registration') keep(shimRegCall, wall.shimRegCall, await callTrial(viaShimRegistration, callN));
    else keep(directCall, wall.directCall, await callTrial(direct, callN));
  }
  for (const side of shimFirst ? ['shim', 'direct'] : ['direct', 'shim']) {
    if (side === 'shim') keep(shimNew, wall.shimNew, constructShimTrial(constructN));
    else keep(directNew, wall.directNew, constructDirectTrial(constructN));
  }
}

const record = runtime.telemetry.snapshot().find((r) => r.symbol === 'UnifiedWebSocketManager' && r.count > 1);
void sink;
process.stdout.write(
  `${JSON.stringify({
    callN,
    constructN,
    trials,
    frames,
    shimCallNs: median(shimCall),
    directCallNs: median(directCall),
    shimCallSpread: spread(shimCall),
    shimRegCallNs: median(shimRegCall),
    shimRegCallSpread: spread(shimRegCall),
    // each trial's registration/direct ratio (the pair ran back to back), for the A/B notes
    shimRegRatios: shimRegCall.map((r, i) => r / directCall[i]!),
    directCallSpread: spread(directCall),
    shimNewNs: median(shimNew),
    directNewNs: median(directNew),
    shimNewSpread: spread(shimNew),
    directNewSpread: spread(directNew),
    wallNs: { shimCall: median(wall.shimCall), shimRegCall: median(wall.shimRegCall), directCall: median(wall.directCall), shimNew: median(wall.shimNew), directNew: median(wall.directNew) },
    telemetry: record ? { count: record.count, methodCalls: record.methodCalls, site: record.site } : undefined,
  })}\n`,
);
await runtime.close();
await hub.close();
