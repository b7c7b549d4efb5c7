import { type UserExecutionContext, WebSocketManagerMode } from 'ssot-migrate/canonical';

export function f(ctx: UserExecutionContext) {
  return [ctx, WebSocketManagerMode.UNIFIED];
}
