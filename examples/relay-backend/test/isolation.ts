/**
 * Concurrency isolation check (`npm run test:isolation`, not part of `npm test`):
 * N users each have a socket open and start a run at the same moment through POST /runs;
 * each must receive exactly its own five run events and no one else's. Prints the success
 * rate and exits 1 below 100%.
 *
 * On the legacy code this FAILS by design: HubRegistry.forRequest binds each request's scope
 * onto the one shared hub, and RunEventPusher.forCurrentRequest reads it back after the
 * handler's first await — by then the last request has overwritten it, so every run's events
 * go to the last user, stamped with the last user's run. With one manager per request scope
 * it passes unchanged: it reads only `type` and `runId` of the run events.
 *
 *   ISOLATION_USERS=N   number of concurrent users (default 20)
 */
import { createApp } from '../src/http/app.js';
import { RUN_SEQUENCE, openTab, type MemorySocket, until } from './support/memory-socket.js';

const users = Number(process.env.ISOLATION_USERS ?? 20);
if (!Number.isInteger(users) || users < 2) {
  console.error(`ISOLATION_USERS must be an integer >= 2, got ${process.env.ISOLATION_USERS}`);
  process.exit(2);
}

interface Participant {
  userId: string;
  runId: string;
  socket: MemorySocket;
}

function problem(p: Participant): string | undefined {
  const events = p.socket.runEvents();
  const foreign = events.filter((e) => e.runId !== p.runId);
  if (foreign.length > 0) return `${foreign.length} event(s) of another run (${[...new Set(foreign.map((e) => e.runId))].slice(0, 3).join(', ')})`;
  const types = events.map((e) => e.type);
  if (types.join(',') !== RUN_SEQUENCE.join(',')) return `got [${types.join(', ')}]`;
  return undefined;
}

const { router } = createApp();
const participants: Participant[] = [];
for (let i = 0; i < users; i++) {
  const userId = `usr_iso_${i}`;
  participants.push({ userId, runId: `run_iso_${i}`, socket: openTab(userId).socket });
}

await Promise.all(
  participants.map((p, i) =>
    router.dispatch({
      method: 'POST',
      path: '/runs',
      user: { id: p.userId },
      headers: { 'x-thread-id': `thr_iso_${i}`, 'x-run-id': p.runId },
      body: { agent: 'triage', prompt: `question number ${i}` },
    }),
  ),
);

// Delivery may be asynchronous: wait (bounded) for the expected total, then a little more,
// because late strays still count against isolation.
const expected = users * RUN_SEQUENCE.length;
await until(() => participants.reduce((n, p) => n + p.socket.runEvents().length, 0) >= expected, 3_000).catch(() => undefined);
await new Promise((resolve) => setTimeout(resolve, 50));

const failures = participants.map((p) => ({ userId: p.userId, problem: problem(p) })).filter((f) => f.problem !== undefined);
const passed = users - failures.length;
for (const f of failures.slice(0, 5)) console.log(`  ${f.userId}: ${f.problem}`);
if (failures.length > 5) console.log(`  … and ${failures.length - 5} more`);
console.log(`isolation: ${passed}/${users} users received only their own five run events (success rate ${((100 * passed) / users).toFixed(1)}%)`);
process.exit(passed === users ? 0 : 1);
