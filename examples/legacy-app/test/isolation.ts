/**
 * Concurrency isolation check (run by `npm run test:isolation`, not by `npm test`):
 * N users run an agent at the same moment; each must receive exactly its own five events
 * and nothing else. Prints the measured success rate and exits 1 below 100%.
 *
 * On the legacy code this FAILS by design: the factory hands every request the same
 * manager and overwrites its context, so events go to whoever was bound last. After the
 * migration (createWebSocketManager(ctx) per request) it must pass unchanged.
 *
 *   ISOLATION_USERS=N   number of concurrent users (default 20)
 */
import { createUserExecutionContext, type UserExecutionContext } from '@app/services/user_execution_context.js';
import { createWebSocketManager } from '@app/websocket_core/websocket_manager_factory.js';
import { runAgent } from '@app/agents/supervisor/execution_engine.js';
import { CRITICAL_SEQUENCE, MemorySocket, type Frame, until } from './support/memory_socket.js';

const users = Number(process.env.ISOLATION_USERS ?? 20);
if (!Number.isInteger(users) || users < 2) {
  console.error(`ISOLATION_USERS must be an integer >= 2, got ${process.env.ISOLATION_USERS}`);
  process.exit(2);
}

interface Participant {
  ctx: UserExecutionContext;
  socket: MemorySocket;
}

function verdict(p: Participant): string | undefined {
  const frames: Frame[] = p.socket.frames;
  const foreign = frames.filter((f) => f.userId !== p.ctx.userId || f.runId !== p.ctx.runId);
  if (foreign.length > 0) return `${foreign.length} frame(s) from another user or run`;
  const types = frames.map((f) => f.type);
  if (types.join(',') !== CRITICAL_SEQUENCE.join(',')) return `got [${types.join(', ')}]`;
  return undefined;
}

const participants: Participant[] = [];
for (let i = 0; i < users; i += 1) {
  const ctx = createUserExecutionContext({ userId: `usr_iso_${i}`, threadId: `thr_iso_${i}`, runId: `run_iso_${i}` });
  const socket = new MemorySocket();
  await createWebSocketManager(ctx).addConnection({ connectionId: `conn_iso_${i}`, userId: ctx.userId, threadId: ctx.threadId, socket, connectedAt: new Date() });
  participants.push({ ctx, socket });
}

await Promise.all(participants.map((p, i) => runAgent(p.ctx, { agentName: 'triage', prompt: `question number ${i}` })));

// Delivery may be asynchronous: wait (bounded) until every user has as many frames as expected.
const expected = users * CRITICAL_SEQUENCE.length;
await until(() => participants.reduce((n, p) => n + p.socket.raw.length, 0) >= expected, 3_000).catch(() => undefined);
await new Promise((resolve) => setTimeout(resolve, 50)); // late strays would still count against isolation

const failures = participants.map((p) => ({ userId: p.ctx.userId, problem: verdict(p) })).filter((r) => r.problem !== undefined);
const passed = users - failures.length;
const rate = (100 * passed) / users;
for (const f of failures.slice(0, 5)) console.log(`  ${f.userId}: ${f.problem}`);
if (failures.length > 5) console.log(`  … and ${failures.length - 5} more`);
console.log(`isolation: ${passed}/${users} users received only their own five events (success rate ${rate.toFixed(1)}%)`);
process.exit(passed === users ? 0 : 1);
