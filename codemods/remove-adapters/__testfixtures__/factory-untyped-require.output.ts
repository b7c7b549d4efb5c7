import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

export function lazy(ctx: UserExecutionContext) {
  return createWebSocketManager(ctx);
}

export function viaModule(ctx: UserExecutionContext) {
  return createWebSocketManager(ctx);
}

// the destructured name is the canonical one: it goes with its load, so no alias is needed
export async function sameName(ctx: UserExecutionContext) {
  return createWebSocketManager(ctx);
}

export function sameNameRequired(ctx: UserExecutionContext) {
  return createWebSocketManager(ctx);
}

