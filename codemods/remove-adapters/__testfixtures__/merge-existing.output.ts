import { type ScopedWebSocketManager, type UserExecutionContext, createWebSocketManager } from 'ssot-migrate/canonical';

export function wire(ctx: UserExecutionContext, fallback: ScopedWebSocketManager): ScopedWebSocketManager {
  void createWebSocketManager(ctx);
  return fallback;
}
