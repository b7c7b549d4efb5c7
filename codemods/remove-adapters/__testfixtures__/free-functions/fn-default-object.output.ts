import { hubOperations } from 'ssot-migrate/canonical';

export function ping(userId: string): void {
  hubOperations().sendToUser(userId, { type: 'ping' });
  hubOperations().broadcastAll({ type: 'pinged', userId });
}
