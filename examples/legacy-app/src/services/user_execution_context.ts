/**
 * The legacy app's own per-request context (port of
 * netra_backend/app/services/user_execution_context.py). It is deliberately its own type,
 * not an import of the canonical one: the migration finds values of this type in scope
 * (manifest `canonical.contextType`) and hands them to the canonical factory, which accepts
 * them because the shape is compatible (userId, threadId, runId, requestId?).
 */
export interface UserExecutionContext {
  readonly userId: string;
  readonly threadId: string;
  readonly runId: string;
  readonly requestId?: string;
  /** Legacy name of the connection id (Python: websocket_client_id / websocket_connection_id). */
  readonly websocketClientId?: string;
}

const PLACEHOLDER_IDS = new Set(['registry', 'placeholder', 'default', 'temp', 'none', 'null', '0', '1', 'test', 'demo', 'mock', 'fake']);

export class InvalidUserContextError extends Error {
  constructor(readonly field: string, value: string) {
    super(`UserExecutionContext.${field} is invalid: ${JSON.stringify(value)}`);
    this.name = 'InvalidUserContextError';
  }
}

let requestCounter = 0;

export function createUserExecutionContext(input: {
  userId: string;
  threadId: string;
  runId: string;
  requestId?: string;
  websocketClientId?: string;
}): UserExecutionContext {
  for (const field of ['userId', 'threadId', 'runId'] as const) {
    const value = input[field];
    if (value.trim() === '' || PLACEHOLDER_IDS.has(value.trim().toLowerCase())) {
      throw new InvalidUserContextError(field, value);
    }
  }
  requestCounter += 1;
  return Object.freeze({ ...input, requestId: input.requestId ?? `req_${requestCounter}` });
}
