import { HubRegistry } from '../realtime/registry.js';
import type { ThreadService } from '../services/threads.js';
import { sendDigest } from './digest.js';
import type { Job, JobQueue } from './queue.js';
import { summarizeThreadJob, type ThreadJobPayload } from './summarize-thread.js';

export { JobQueue } from './queue.js';
export type { DigestPayload } from './digest.js';
export type { ThreadJobPayload } from './summarize-thread.js';

export function registerJobs(queue: JobQueue, threads: ThreadService): JobQueue {
  queue.define('summarize-thread', summarizeThreadJob(threads));
  queue.define('digest', sendDigest);
  // Tell the user a background job of theirs died (otherwise the spinner spins forever).
  queue.on('failed', (job: Job<ThreadJobPayload>, error: unknown) => {
    HubRegistry.shared().publishToUser(job.payload.userId, {
      type: 'job_failed',
      job: job.name,
      jobId: job.id,
      runId: job.payload.runId,
      reason: error instanceof Error ? error.message : String(error),
    });
  });
  return queue;
}
