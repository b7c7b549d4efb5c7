// The object manager imported as the module's default export and called through it.
import { hubOperations } from 'ssot-migrate/canonical';

export function onConnect(userId: string, socket: { send(data: string): void }): void {
  const hub = hubOperations();
  hub.connect(userId, socket);
  hub.sendToUser(userId, { type: 'welcome' });
}
