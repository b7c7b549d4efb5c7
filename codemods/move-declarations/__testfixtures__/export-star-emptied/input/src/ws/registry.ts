import type { WebSocket } from 'ws';

/** Sockets by user: app state, not a manager to consolidate. */
export class Registry {
  private readonly sockets = new Map<string, WebSocket>();

  set(user: string, ws: WebSocket): void {
    this.sockets.set(user, ws);
  }
}
