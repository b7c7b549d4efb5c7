import { wsManager } from '../legacy/ws.js';

export function announce(ids: string[], userId: string, status: 'online' | 'offline', at: Date | undefined): void {
  wsManager.broadcastToUsers(ids, {
    type: 'user_status',
    userId,
    status,
    lastSeen: at?.toISOString(),
  });
}
