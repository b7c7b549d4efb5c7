/** Thread endpoints: rename, typing indicator, background summary. */
import { newId } from '../../realtime/hub.js';
import { showTyping } from '../../services/notifications/typing.js';
import type { AppServices } from '../services.js';
import type { RouteHandler } from '../router.js';
import { HttpError, type HttpRequest, type HttpResponse } from '../types.js';

/** PATCH /threads/:id  { title } */
export class RenameThreadHandler implements RouteHandler {
  constructor(private readonly services: AppServices) {}

  handle(req: HttpRequest): HttpResponse {
    const title = (req.body as { title?: unknown } | undefined)?.title;
    if (typeof title !== 'string' || title.trim() === '') throw new HttpError(400, 'title is required');
    const thread = this.services.threads.rename(req.user.id, req.params.id!, title.trim());
    return { status: 200, body: { id: thread.id, title: thread.title } };
  }
}

/** POST /threads/:id/typing  { ms? } */
export class TypingHandler implements RouteHandler {
  constructor(private readonly services: AppServices) {}

  handle(req: HttpRequest): HttpResponse {
    const ms = (req.body as { ms?: unknown } | undefined)?.ms;
    showTyping(req.user.id, req.params.id!, typeof ms === 'number' ? ms : undefined);
    return { status: 204 };
  }
}

/** POST /threads/:id/summary — queues a summary run; its events arrive over the socket. */
export class SummarizeThreadHandler implements RouteHandler {
  constructor(private readonly services: AppServices) {}

  handle(req: HttpRequest): HttpResponse {
    const runId = req.headers['x-run-id'] ?? newId('run');
    const jobId = this.services.queue.enqueue('summarize-thread', { userId: req.user.id, threadId: req.params.id!, runId });
    return { status: 202, body: { jobId, runId } };
  }
}
