import { hubOperations } from 'ssot-migrate/canonical';

export function ping(userId: string): void {
  const hub = hubOperations();
  hub.sendToUser(userId, { type: 'ping' });
  hub.broadcastAll({ type: 'pinged', userId });
}
