/**
 * The canonical side of the throughput workload, shared by the bench server and the in-process
 * micro-harness so both measure the same send loop: per round, every user's run is one scoped
 * manager whose five emits are awaited in order (as an agent would); runs proceed concurrently.
 */
import type { ConnectionHub } from '../../canonical/hub.js';
import { createUserExecutionContext } from '../../canonical/context.js';
import { createWebSocketManager } from '../../canonical/manager.js';
import { FIVE_EVENT_RUN, runIdOf, threadIdOf } from './workload.js';

export async function emitCanonicalRounds(hub: ConnectionHub, userIds: readonly string[], rounds: number, tag: string, tick: () => Promise<unknown>): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    await Promise.all(
      userIds.map(async (userId) => {
        const ctx = createUserExecutionContext({ userId, threadId: threadIdOf(userId), runId: runIdOf(`${tag}r${r}`, userId) });
        const manager = createWebSocketManager(ctx, { hub });
        for (const [type, data] of FIVE_EVENT_RUN) await manager.emit(type, data);
      }),
    );
    await tick(); // let socket I/O run between rounds, the same as the raw loop
  }
}
