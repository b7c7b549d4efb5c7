import {
  createWebSocketManager, // the factory
  type UserExecutionContext, // per-request context
  WebSocketManager, // legacy class
  WebSocketManagerProtocol,
} from 'ssot-migrate/canonical';

export function f(ctx: UserExecutionContext, p: WebSocketManagerProtocol) {
  return [createWebSocketManager, ctx, p, WebSocketManager];
}
