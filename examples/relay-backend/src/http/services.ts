import { ThreadService } from '../services/threads.js';
import { defaultTools, type ToolRegistry } from '../agents/tools.js';
import { JobQueue } from '../jobs/queue.js';

/** What every handler gets in its constructor. */
export interface AppServices {
  threads: ThreadService;
  tools: ToolRegistry;
  queue: JobQueue;
}

export function createServices(overrides: Partial<AppServices> = {}): AppServices {
  return {
    threads: overrides.threads ?? new ThreadService(),
    tools: overrides.tools ?? defaultTools,
    queue: overrides.queue ?? new JobQueue(),
  };
}
