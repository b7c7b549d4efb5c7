/**
 * Bench suite "shim": the strangler layer's overhead in canonical mode, in a child process
 * (bench/shim/loop.ts: in-process loops, warm-up, interleaved trials, median) with the JSONL
 * sink and the toggles watcher off and in-memory no-op sockets, so only the shim's own work differs:
 *
 * - a method call (`sendToUser`) on a manager built through the legacy alias vs the same call on a
 *   canonical manager (target ≤ 1.1x), once with a table without registration members and once with
 *   them (what strangle writes for a real facade; target ≤ 1.1x);
 * - construction through the alias, call-site capture included (`new UnifiedWebSocketManager(mode, ctx)`),
 *   in µs against the 20 µs budget (target < 20 µs), direct `createWebSocketManager(ctx)` in the notes.
 *
 * Figures are process CPU time per operation: on a shared 2-core machine wall time also counts the
 * time spent waiting for a core (the notes give the wall medians too). BENCH_SHIM_CALLS,
 * BENCH_SHIM_CONSTRUCTIONS, BENCH_SHIM_TRIALS change the sizes.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { envInt, measure, runProcess, type BenchSuite } from './harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const LOOP = path.join(here, 'shim', 'loop.ts');

interface LoopResult {
  frames: number;
  shimCallNs: number;
  directCallNs: number;
  shimCallSpread: [number, number];
  shimRegCallNs: number;
  shimRegCallSpread: [number, number];
  directCallSpread: [number, number];
  shimNewNs: number;
  directNewNs: number;
  shimNewSpread: [number, number];
  wallNs: { shimCall: number; shimRegCall: number; directCall: number; shimNew: number; directNew: number };
  telemetry?: { count: number; site?: { file: string; line: number } };
}

const BUDGET_US = 20;
const us = (ns: number): string => `${(ns / 1000).toFixed(2)} µs`;

/*
 * Why a target can be missed (from --cpu-prof of the loop). Printed only on a miss.
 */
const CALL_GAP =
  'why: per call the shim adds a telemetry counter increment, the scoped-user check, the dispatcher that follows the mode (a cached-mode ' +
  'comparison, shim/proxies/follow.ts) that runs the member\'s template on the binding directly, arguments by position, over canonical\'s own ' +
  'sendToUser (~0.04 µs on a ~1 µs call, 25 interleaved trials at load ~9, 5 Dec); a miss beyond that is trial noise on a loaded machine (see the spread). Closing it: more trials ' +
  '(BENCH_SHIM_TRIALS) on a quieter machine';
const NEW_GAP =
  'why (profiled): ~2/3 of a construction is V8\'s Error.captureStackTrace in shim/call-site.ts (~6–8 µs CPU on this machine even at ' +
  'stackTraceLimit 1–4; `new Error()` alone costs ~6 µs here), the rest telemetry.hit, the warning dedupe, validating and freezing a ' +
  'copy of the legacy context and tsx\'s keepNames helper on the per-construction `legacy` closure. Closing it: a first capture at ' +
  'stackTraceLimit 1 (saves ~2–3 µs; the 16-frame retry still covers facades), building the `legacy` closure only in legacy/shadow mode';

export const shimSuite: BenchSuite = {
  name: 'shim',
  async run(ctx) {
    const calls = envInt('BENCH_SHIM_CALLS', 200_000);
    const constructions = envInt('BENCH_SHIM_CONSTRUCTIONS', 50_000);
    const trials = envInt('BENCH_SHIM_TRIALS', 9);
    const r = await runProcess(process.execPath, ['--import', 'tsx', LOOP, String(calls), String(constructions), String(trials)], {
      cwd: root,
      env: { ...process.env, SSOT_SHIM_TELEMETRY: 'off', SSOT_SHIM_TOGGLES: 'off', SSOT_SHIM: '' },
    });
    if (r.exitCode !== 0) throw new Error(`shim loop exited ${r.exitCode}: ${r.stderr.slice(-800)}`);
    const x = JSON.parse(r.stdout.trim().split('\n').pop()!) as LoopResult;
    // The loop must have really sent (one frame per call on each side, warm-ups included) and counted constructions.
    if (x.frames < 3 * calls * trials) throw new Error(`shim loop delivered ${x.frames} frames, expected at least ${3 * calls * trials}`);
    if (!x.telemetry || x.telemetry.count < constructions * trials) throw new Error('shim loop: constructions were not counted by telemetry');
    ctx.log(`sendToUser: shim ${us(x.shimCallNs)} vs direct ${us(x.directCallNs)} CPU; construction: shim ${us(x.shimNewNs)} vs direct ${us(x.directNewNs)} CPU`);
    const call = measure(
      `method call through the shim (canonical mode, sendToUser) vs the same call on a canonical manager`,
      x.shimCallNs / 1000,
      x.directCallNs / 1000,
      'µs',
      { max: 1.1, text: '≤ 1.1x' },
      `CPU time per call, median of ${trials} interleaved trials × ${calls.toLocaleString('en')} calls (shim ${us(x.shimCallSpread[0])}–${us(x.shimCallSpread[1])}, ` +
        `direct ${us(x.directCallSpread[0])}–${us(x.directCallSpread[1])}); wall medians: shim ${us(x.wallNs.shimCall)}, direct ${us(x.wallNs.directCall)}; in-memory no-op socket, JSONL sink off`,
    );
    if (!call.pass) call.notes = `${call.notes}; ${CALL_GAP}`;
    const registered = measure(
      `method call through the shim, table with registration members (canonical mode, sendToUser) vs the same call on a canonical manager`,
      x.shimRegCallNs / 1000,
      x.directCallNs / 1000,
      'µs',
      { max: 1.1, text: '≤ 1.1x' },
      `the alias's table as strangle writes it, with registration: [addConnection, removeConnection, connectUser, disconnectUser, shutdown]: ` +
        `a non-registration member in canonical mode goes to the table's member as it is while no socket has a canonical stand-in open and the caller holds no legacy id (two counters, no look at the arguments); ` +
        `CPU time per call, median of ${trials} interleaved trials × ${calls.toLocaleString('en')} calls (${us(x.shimRegCallSpread[0])}–${us(x.shimRegCallSpread[1])}); wall median ${us(x.wallNs.shimRegCall)}`,
    );
    if (!registered.pass) registered.notes = `${registered.notes}; ${CALL_GAP}`;
    const construct = measure(
      `construction through the legacy alias with call-site capture (new UnifiedWebSocketManager(mode, ctx), canonical mode) vs the ${BUDGET_US} µs budget`,
      x.shimNewNs / 1000,
      BUDGET_US,
      'µs',
      { max: 1, text: `< ${BUDGET_US} µs (ratio ≤ 1)` },
      `CPU time per construction, median of ${trials} trials × ${constructions.toLocaleString('en')} (range ${us(x.shimNewSpread[0])}–${us(x.shimNewSpread[1])}), ` +
        `site captured each time (telemetry counted ${x.telemetry.count.toLocaleString('en')} at ${path.relative(root, x.telemetry.site?.file ?? '?')}:${x.telemetry.site?.line ?? '?'}); ` +
        `direct createWebSocketManager(ctx) ${us(x.directNewNs)} (shim ${(x.shimNewNs / x.directNewNs).toFixed(0)}x of it); wall medians: shim ${us(x.wallNs.shimNew)}, direct ${us(x.wallNs.directNew)}`,
    );
    if (!construct.pass) construct.notes = `${construct.notes}; ${NEW_GAP}`;
    return [call, registered, construct];
  },
};
