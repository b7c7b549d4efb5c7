import { hubOperations } from 'ssot-migrate/canonical';

export function handleOrderCreated(userId: string, order: { id: string }): void {
  const hub = hubOperations();
  hub.sendToUser(userId, { type: 'order_created', ...{ orderId: order.id } });
  hub.sendToUser(userId, { type: 'order_seen', ...{ orderId: order.id } });
  hub.sendToUser(userId, { type: 'order', payload: order });
}
