import { getWebSocketManager } from '../legacy/manager.js';
import type { JobPayload } from '../jobs/types.js';

function progress(percent: number): Promise<unknown> {
  return getWebSocketManager().emit('progress', { percent });
}

export async function runJob(payload: JobPayload): Promise<void> {
  await progress(0);
  await getWebSocketManager().emit('started', { thread: payload.threadId });
  await progress(100);
}
