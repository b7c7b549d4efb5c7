import { wsManager } from '../legacy/ws.js';

export function announce(ids: string[], userId: string, status: 'online' | 'offline', at: Date | undefined): void {
  // TODO(ssot)[wsManager.broadcastToUsers]: the template of wsManager.broadcastToUsers needs `{ type: 'user_status', userId, status, lastSeen: at?.toISOString(), }` evaluated once ahead of it, and as the parameter of an arrow it would lose its literal type ({ type: string; userId: string; status: "online" | "offline"; lastSeen: string | undefined; }); bind it to a const with that type first
  wsManager.broadcastToUsers(ids, {
    type: 'user_status',
    userId,
    status,
    lastSeen: at?.toISOString(),
  });
}
