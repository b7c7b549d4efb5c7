// Invoice handling that talks to the WebSocket layer.
// @ts-ignore -- createWebSocketManagerSync was removed from the factory module
import { createWebSocketManagerSync } from '../legacy/websocket_manager_factory.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';

export const danglingReferences7: readonly unknown[] = [createWebSocketManagerSync];

export function userOf(ctx: UserExecutionContext): string {
  return ctx.userId;
}
