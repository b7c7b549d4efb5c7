import { hubOperations } from 'ssot-migrate/canonical';

export function handleOrderCreated(userId: string, order: { id: string }): void {
  hubOperations().sendToUser(userId, { type: 'order_created', ...{ orderId: order.id } });
  hubOperations().sendToUser(userId, { type: 'order_seen', ...{ orderId: order.id } });
  hubOperations().sendToUser(userId, { type: 'order', payload: order });
}
