/**
 * Request-scoped dependencies (port of netra_backend/app/dependencies.py): builds the
 * UserExecutionContext for a request. Two manager accessors: one with the context in
 * scope, and one without (the factory rewrite cannot guess a context there).
 */
import { createUserExecutionContext, type UserExecutionContext } from './services/user_execution_context.js';
import { getWebSocketManager } from './websocket_core/websocket_manager_factory.js';
import type { WebSocketManager } from './websocket_core/websocket_manager.js';

let runCounter = 0;

export function getUserExecutionContext(userId: string, threadId?: string, runId?: string): UserExecutionContext {
  runCounter += 1;
  return createUserExecutionContext({
    userId,
    threadId: threadId ?? `thread_${userId}_${runCounter}`,
    runId: runId ?? `run_${userId}_${runCounter}`,
  });
}

/** With a context: the manager for this request. */
export function getManagerForRequest(ctx: UserExecutionContext): WebSocketManager {
  return getWebSocketManager(ctx);
}

/** Without a context: whatever the shared manager was last bound to. */
export function getDefaultWebSocketManager(): WebSocketManager {
  return getWebSocketManager();
}
