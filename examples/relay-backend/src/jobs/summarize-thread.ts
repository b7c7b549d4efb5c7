/** Background summary of a thread, run as an agent turn whose events go to the owner. */
import { HubRegistry } from '@realtime/registry.js';
import { RunEventPusher as RunEventPusher } from '../realtime/pusher.js';
import { runAgent } from '../agents/runner.js';
import type { ThreadService } from '../services/threads.js';

/** Every thread job carries who it is for, which thread and which run. */
export interface ThreadJobPayload {
  userId: string;
  threadId: string;
  runId: string;
}

export function summarizeThreadJob(threads: ThreadService) {
  return async (payload: ThreadJobPayload): Promise<void> => {
    const thread = await threads.get(payload.threadId);
    if (thread.ownerId !== payload.userId) throw new Error(`thread ${payload.threadId} is not ${payload.userId}'s`);
    const pusher = new RunEventPusher(HubRegistry.shared(), payload.userId, payload.runId, payload.threadId);
    await runAgent(pusher, { agent: 'summarizer', prompt: thread.messages.join(' ') || thread.title, history: thread.messages });
  };
}
