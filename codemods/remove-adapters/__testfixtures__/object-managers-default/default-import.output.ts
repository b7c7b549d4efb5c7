// The object manager imported as the module's default export and called through it.
import { hubOperations } from 'ssot-migrate/canonical';

export function onConnect(userId: string, socket: { send(data: string): void }): void {
  hubOperations().connect(userId, socket);
  hubOperations().sendToUser(userId, { type: 'welcome' });
}
