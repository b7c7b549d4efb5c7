import { hubOperations } from 'ssot-migrate/canonical';

export function shipped(userId: string, orderId: string): void {
  hubOperations().sendToUser(userId, { type: 'order_shipped', orderId });
}
