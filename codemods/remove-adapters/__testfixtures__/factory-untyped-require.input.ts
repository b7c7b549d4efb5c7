import type { UserExecutionContext } from '../services/user_execution_context.js';

export function lazy(ctx: UserExecutionContext) {
  const { getWebSocketManager } = require('../legacy/manager');
  return getWebSocketManager(ctx);
}

export function viaModule(ctx: UserExecutionContext) {
  const legacy = require('../legacy/manager');
  return legacy.Factory.getInstance(ctx);
}

// the destructured name is the canonical one: it goes with its load, so no alias is needed
export async function sameName(ctx: UserExecutionContext) {
  const { createWebSocketManager } = await import('../legacy/manager.js');
  return createWebSocketManager(ctx);
}

export function sameNameRequired(ctx: UserExecutionContext) {
  const { createWebSocketManager } = require('../legacy/manager');
  return createWebSocketManager(ctx);
}

