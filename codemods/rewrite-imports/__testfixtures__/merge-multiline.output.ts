import {
  createWebSocketManager,
  type UserExecutionContext,
  WebSocketManagerMode,
  WebSocketManager,
} from 'ssot-migrate/canonical';

export function f(ctx: UserExecutionContext) {
  return [createWebSocketManager, ctx, WebSocketManagerMode.UNIFIED, WebSocketManager];
}
