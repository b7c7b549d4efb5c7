/**
 * The canonical side of the throughput workload, shared by the bench server and the in-process
 * micro-harness so both measure the same send loop. Per round, every user's run gets its own scoped
 * manager (one context and manager per run, as an agent's would be), and the runs' events go out
 * event-major — each run's emit k for every user before emit k+1, the order the raw and Socket.IO
 * loops send — through `emitNow`, the emit the README gives for a caller that does not need the
 * envelope: on the in-memory bus it returns undefined once the event is written (no promise, no
 * await), as `ws.send` and `io.to().emit()` return nothing the raw and Socket.IO loops wait on; a
 * promise it returns (an asynchronous bus) is awaited before the next event of any run.
 * BENCH_CANONICAL_EMIT=await measures the previous loop instead: one async function per run awaiting
 * each `emit` (an agent that awaits every event; ~0.3-0.8 µs/event more in-process, see THROUGHPUT_GAP).
 */
import type { ConnectionHub } from '../../canonical/hub.js';
import { createUserExecutionContext } from '../../canonical/context.js';
import { createWebSocketManager } from '../../canonical/manager.js';
import type { ScopedWebSocketManager } from '../../canonical/manager.js';
import { epochNow, FIVE_EVENT_RUN, runIdOf, threadIdOf } from './workload.js';

const managerOf = (hub: ConnectionHub, userId: string, runId: string): ScopedWebSocketManager =>
  createWebSocketManager(createUserExecutionContext({ userId, threadId: threadIdOf(userId), runId }), { hub });

/**
 * `stamps` (latency runs): each event's send time (epochNow, sub-ms) is written at
 * `(round × users + user) × 5 + k` just before its emit call — the same point the raw and Socket.IO
 * loops stamp theirs (server.ts), so the bench times emit call → client receive for all three.
 */
export async function emitCanonicalRounds(hub: ConnectionHub, userIds: readonly string[], rounds: number, tag: string, tick: () => Promise<unknown>, stamps?: Float64Array): Promise<void> {
  const awaitEach = process.env.BENCH_CANONICAL_EMIT === 'await';
  for (let r = 0; r < rounds; r++) {
    if (awaitEach) {
      await Promise.all(
        userIds.map(async (userId, i) => {
          const manager = managerOf(hub, userId, runIdOf(`${tag}r${r}`, userId));
          for (let k = 0; k < FIVE_EVENT_RUN.length; k++) {
            const [type, data] = FIVE_EVENT_RUN[k]!;
            if (stamps !== undefined) stamps[(r * userIds.length + i) * FIVE_EVENT_RUN.length + k] = epochNow();
            await manager.emit(type, data);
          }
        }),
      );
    } else {
      const managers = userIds.map((userId) => managerOf(hub, userId, runIdOf(`${tag}r${r}`, userId)));
      for (let k = 0; k < FIVE_EVENT_RUN.length; k++) {
        const [type, data] = FIVE_EVENT_RUN[k]!;
        for (let i = 0; i < managers.length; i++) {
          const manager = managers[i]!;
          if (stamps !== undefined) stamps[(r * managers.length + i) * FIVE_EVENT_RUN.length + k] = epochNow();
          const pending = manager.emitNow(type, data);
          if (pending !== undefined) await pending;
        }
      }
    }
    await tick(); // let socket I/O run between rounds, the same as the raw loop
  }
}
