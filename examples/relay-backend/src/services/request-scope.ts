/**
 * Who we are working for right now: one user, one thread, one run.
 *
 * Built once per HTTP request (scopeFromRequest) or per job (scopeForJob) and handed to
 * whatever needs it. (Older code passes a bare userId around instead; see services/threads.ts.)
 */
import { newId } from '../realtime/hub.js';

export interface RequestScope {
  readonly userId: string;
  readonly threadId: string;
  readonly runId: string;
  readonly requestId?: string;
}

/** The parts of an incoming request a scope is built from (the router's HttpRequest has them). */
export interface ScopeSource {
  user: { id: string };
  headers: Record<string, string | undefined>;
  body?: unknown;
}

export class ScopeError extends Error {
  constructor(readonly field: keyof RequestScope, message: string) {
    super(`${field}: ${message}`);
    this.name = 'ScopeError';
  }
}

function checkId(field: keyof RequestScope, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ScopeError(field, 'missing');
  if (value.length > 128) throw new ScopeError(field, 'too long');
  return value;
}

export function createScope(input: { userId: string; threadId: string; runId: string; requestId?: string | undefined }): RequestScope {
  const scope: { -readonly [K in keyof RequestScope]: RequestScope[K] } = {
    userId: checkId('userId', input.userId),
    threadId: checkId('threadId', input.threadId),
    runId: checkId('runId', input.runId),
  };
  if (input.requestId !== undefined) scope.requestId = checkId('requestId', input.requestId);
  return Object.freeze(scope);
}

/** Thread from `x-thread-id` (or body.threadId), run from `x-run-id` or a fresh id. */
export function scopeFromRequest(req: ScopeSource): RequestScope {
  const body = (req.body ?? {}) as { threadId?: unknown };
  const threadId = req.headers['x-thread-id'] ?? (typeof body.threadId === 'string' ? body.threadId : undefined) ?? newId('thr');
  return createScope({
    userId: req.user.id,
    threadId,
    runId: req.headers['x-run-id'] ?? newId('run'),
    requestId: req.headers['x-request-id'],
  });
}

/** Jobs carry their ids in the payload (see jobs/). */
export function scopeForJob(payload: { userId: string; threadId: string; runId: string }): RequestScope {
  return createScope(payload);
}
