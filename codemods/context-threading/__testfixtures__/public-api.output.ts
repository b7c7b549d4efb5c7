import { getWebSocketManager } from '../legacy/manager.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';

function helper(text: string): Promise<unknown> {
  // TODO(ssot): getWebSocketManager() is the shared legacy manager: no value of type UserExecutionContext in scope, and threading it stops at a boundary: getWebSocketManager() at src/app/public-api.ts:5 → helper (src/app/public-api.ts:4) → publicEntry (src/app/public-api.ts:8) → boundary: publicEntry is public API (manifest publicApi: src/app/public-api publicEntry) at src/app/public-api.ts:8
  return getWebSocketManager().emit('notice', { text });
}

export function publicEntry(text: string): Promise<unknown> {
  // TODO(ssot): getWebSocketManager() is the shared legacy manager: no value of type UserExecutionContext in scope, and threading it stops at a boundary: getWebSocketManager() at src/app/public-api.ts:9 → publicEntry (src/app/public-api.ts:8) → boundary: publicEntry is public API (manifest publicApi: src/app/public-api publicEntry) at src/app/public-api.ts:8
  void getWebSocketManager();
  return helper(text);
}

export function internalEntry(ctx: UserExecutionContext): Promise<unknown> {
  return helper(ctx.threadId);
}
