import type { UserExecutionContext } from 'ssot-migrate/canonical';
import { WebSocketManagerMode } from '../websocket_core/unified_manager.js';

export function f(ctx: UserExecutionContext) {
  return [ctx, WebSocketManagerMode.UNIFIED];
}
