import { getWebSocketManager } from '../legacy/manager.js';

export function reexported(text: string): Promise<unknown> {
  // TODO(ssot): getWebSocketManager() is the shared legacy manager: no value of type UserExecutionContext in scope, and threading it stops at a boundary: getWebSocketManager() at src/app/barrel-source.ts:4 → reexported (src/app/barrel-source.ts:3) → boundary: reexported is public API as notice of src/app/public-barrel (manifest publicApi) at src/app/public-barrel.ts:1
  return getWebSocketManager().emit('notice', { text });
}
