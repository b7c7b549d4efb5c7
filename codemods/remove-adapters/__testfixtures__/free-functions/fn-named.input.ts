import { sendToUser, addClient } from '../legacy/ws';

export function join(userId: string, socket: { send(d: string): void }): void {
  addClient(userId, socket);
  sendToUser(userId, { type: 'welcome' });
}
