// The object manager imported as the module's default export and called through it.
import ws from '../legacy/ws.js';

export function onConnect(userId: string, socket: { send(data: string): void }): void {
  ws.register(userId, socket);
  ws.notify(userId, { type: 'welcome' });
}
