import type { UserExecutionContext } from '../services/user_execution_context.js';

export function lazy(ctx: UserExecutionContext) {
  const { getWebSocketManager } = require('../legacy/manager');
  return getWebSocketManager(ctx);
}

export function viaModule(ctx: UserExecutionContext) {
  const legacy = require('../legacy/manager');
  return legacy.Factory.getInstance(ctx);
}
