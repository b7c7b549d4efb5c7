/**
 * The redis-bus bench's workload, shared by the bench (redis-bus.ts) and its tools (redis-bus-ab.ts,
 * redis-bus-callgrind.ts): USERS sockets on one hub, and one run per user emitted on a hub — each run's
 * agent_started, THINKING agent_thinking and agent_completed awaited in order, the runs concurrently.
 * The tools load another checkout's canonical module, so it is passed in, not imported.
 */
import type * as Canonical from '../canonical/index.js';

export const USERS = 200;
export const THINKING = 48; // + agent_started + agent_completed = 50 events per run
export const EVENTS = USERS * (THINKING + 2);

type Hub = Canonical.ConnectionHub;

/** USERS counting sockets on a hub, attached once; each trial counts its frames afresh. */
export interface Sockets {
  /** A new count for the next trial: resolves when all of its EVENTS frames reached the sockets. */
  next(): Promise<void>;
}

export function attachSockets(hub: Hub, tag: string): Sockets {
  let received = 0;
  let resolve: () => void = () => {};
  for (let u = 0; u < USERS; u++) {
    const socket: Canonical.SocketLike = {
      readyState: 1,
      send() {
        if (++received === EVENTS) resolve();
      },
    };
    hub.addConnection({ connectionId: `${tag}-c${u}`, userId: `user-${u}`, socket, connectedAt: new Date() });
  }
  return {
    next() {
      received = 0;
      return new Promise<void>((r) => (resolve = r));
    },
  };
}

/** Every user's run emitted on `hub` (run ids `<runPrefix><user index>`); resolves when each run's last emit did. */
export async function emitRuns(canon: Pick<typeof Canonical, 'createUserExecutionContext' | 'createWebSocketManager'>, hub: Hub, runPrefix: string): Promise<void> {
  await Promise.all(
    Array.from({ length: USERS }, async (_, u) => {
      const m = canon.createWebSocketManager(canon.createUserExecutionContext({ userId: `user-${u}`, threadId: `th-${u}`, runId: `${runPrefix}${u}` }), { hub });
      await m.emit('agent_started', { agentName: 'bench' });
      for (let i = 0; i < THINKING; i++) await m.emit('agent_thinking', { reasoning: `step ${i}` });
      await m.emit('agent_completed', { status: 'success', finalResponse: 'ok' });
    }),
  );
}
