import { hubOperations } from 'ssot-migrate/canonical';

type Socket = { send(data: string): void; on?(event: string, fn: () => void): void };

export function subscribe(orderId: string, connection: { socket: Socket }): void {
  hubOperations().connect(orderId, connection.socket);
  const cleanup = () => hubOperations().disconnect(hubOperations().hub.getConnectionIdBySocket(connection.socket) ?? '');
  connection.socket.on?.('close', cleanup);
}

export function progress(orderId: string, txHash: string): void {
  const hub = hubOperations();
  hub.sendToUser(orderId, { orderId: orderId, status: 'routing', ...(undefined as Record<string, unknown> | undefined) });
  hub.sendToUser(orderId, { orderId: orderId, status: 'confirmed', ...(({ txHash }) as Record<string, unknown> | undefined) });
  hub.sendToUser(orderId, { ...{ orderId, status: 'failed', reason: 'timeout' } });
}
