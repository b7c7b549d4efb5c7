import type { UserExecutionContext } from '../services/user_execution_context';
// already the canonical module (rewrite-imports), still called without a context: threaded, the load stays where it is
export function canonicalLazily(ctx: UserExecutionContext): unknown {
  const { createWebSocketManager } = require('ssot-migrate/canonical');
  return createWebSocketManager(ctx);
}

// the canonical factory through require(), called without a context at module top level: no parameter can bring one
// TODO(ssot): require('ssot-migrate/canonical').createWebSocketManager() is the canonical factory called without its context: no value of type UserExecutionContext in scope, and threading it stops at a boundary: require('ssot-migrate/canonical').createWebSocketManager() at src/app/factory-canonical-require.ts:8 → boundary: at module top level, in a property initializer or an accessor (no parameter to add)
export const atLoad = require('ssot-migrate/canonical').createWebSocketManager();
