import { wsManager } from '../legacy/ws.js';

type Socket = { send(data: string): void; on?(event: string, fn: () => void): void };

export function subscribe(orderId: string, connection: { socket: Socket }): void {
  wsManager.register(orderId, connection);
  const cleanup = () => wsManager.unregister(orderId, connection);
  connection.socket.on?.('close', cleanup);
}

export function progress(orderId: string, txHash: string): void {
  wsManager.sendStatus(orderId, 'routing');
  wsManager.sendStatus(orderId, 'confirmed', { txHash });
  wsManager.notify(orderId, { orderId, status: 'failed', reason: 'timeout' });
}
