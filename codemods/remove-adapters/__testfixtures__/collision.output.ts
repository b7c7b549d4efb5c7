import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager as canonicalCreateWebSocketManager } from 'ssot-migrate/canonical';

// a local function already has the canonical factory's name
function createWebSocketManager(label: string): string {
  return label;
}

export function open(ctx: UserExecutionContext) {
  void createWebSocketManager('x');
  return canonicalCreateWebSocketManager(ctx);
}
