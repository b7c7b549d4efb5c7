import wsDefault from '../legacy/ws';

export function ping(userId: string): void {
  wsDefault.sendToUser(userId, { type: 'ping' });
  wsDefault.broadcast({ type: 'pinged', userId });
}
