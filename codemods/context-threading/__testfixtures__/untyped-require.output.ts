import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

// a legacy factory reached through require() (untyped) with no context in scope: threaded like an imported one
export function loadLazily(ctx: UserExecutionContext): unknown {
  return createWebSocketManager(ctx);
}

export function handle(ctx: UserExecutionContext): unknown {
  return loadLazily(ctx);
}

// exported, no caller in the repo and no public API: it takes the context itself
export function orphan(ctx: UserExecutionContext): unknown {
  return createWebSocketManager(ctx);
}
