import type { ScopedWebSocketManager, UserExecutionContext } from 'ssot-migrate/canonical';
import { WebSocketManagerAdapter } from '../legacy/agent_registry.js';
import { getWebSocketManager } from '../legacy/manager.js';

export function wire(ctx: UserExecutionContext, fallback: ScopedWebSocketManager): ScopedWebSocketManager {
  void new WebSocketManagerAdapter(getWebSocketManager(ctx));
  return fallback;
}
