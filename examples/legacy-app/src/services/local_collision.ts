/**
 * A local binding that collides with a canonical name: this file declares its own
 * `createWebSocketManager` (a test-double builder), while `getWebSocketManager` from the
 * legacy factory maps to the canonical `createWebSocketManager`. A rewrite must alias,
 * not shadow.
 */
import { getWebSocketManager } from '../websocket_core/websocket_manager_factory.js';
import type { UserExecutionContext } from './user_execution_context.js';

interface ManagerDescriptor {
  label: string;
  connections: number;
}

function createWebSocketManager(label: string, connections = 0): ManagerDescriptor {
  return { label, connections };
}

export function describeManagerFor(ctx: UserExecutionContext): ManagerDescriptor {
  const manager = getWebSocketManager(ctx);
  return createWebSocketManager(`manager for ${ctx.userId}`, manager.getUserConnections(ctx.userId).size);
}
