/**
 * Wired through WebSocketManagerAdapter. See websocket_core/manager.ts for the old path;
 * the adapter is kept for `UserWebSocketEmitter` users.
 */
export function wire(): void {}

export class Holder {
  /** Wraps WebSocketManagerAdapter. */
  run(): void {}
}
