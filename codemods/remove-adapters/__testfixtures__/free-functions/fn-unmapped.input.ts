import { removeClient, sendToUser } from '../legacy/ws';

export function leave(userId: string): void {
  sendToUser(userId, { type: 'bye' });
  removeClient(userId);
}
