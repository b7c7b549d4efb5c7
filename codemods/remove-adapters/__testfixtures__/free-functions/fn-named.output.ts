import { hubOperations } from 'ssot-migrate/canonical';

export function join(userId: string, socket: { send(d: string): void }): void {
  hubOperations().connect(userId, socket);
  hubOperations().sendToUser(userId, { type: 'welcome' });
}
