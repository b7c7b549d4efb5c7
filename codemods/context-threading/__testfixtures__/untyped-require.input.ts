import type { UserExecutionContext } from '../services/user_execution_context.js';

// a legacy factory reached through require() (untyped) with no context in scope: threaded like an imported one
export function loadLazily(): unknown {
  const { getWebSocketManager } = require('../legacy/manager');
  return getWebSocketManager();
}

export function handle(ctx: UserExecutionContext): unknown {
  return loadLazily();
}

// exported, no caller in the repo and no public API: it takes the context itself
export function orphan(): unknown {
  const legacy = require('../legacy/manager');
  return legacy.getWebSocketManager();
}
