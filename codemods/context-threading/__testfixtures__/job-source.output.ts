import type { JobPayload } from '../jobs/types.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';
import { scopeForJob } from '../jobs/scope.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

function progress(percent: number, ctx: UserExecutionContext): Promise<unknown> {
  return createWebSocketManager(ctx).emit('progress', { percent });
}

export async function runJob(payload: JobPayload): Promise<void> {
  await progress(0, scopeForJob(payload));
  await createWebSocketManager(scopeForJob(payload)).emit('started', { thread: payload.threadId });
  await progress(100, scopeForJob(payload));
}
