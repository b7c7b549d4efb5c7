import { hubOperations } from 'ssot-migrate/canonical';

export function join(userId: string, socket: { send(d: string): void }): void {
  const hub = hubOperations();
  hub.connect(userId, socket);
  hub.sendToUser(userId, { type: 'welcome' });
}
