import { sendToUser as push } from '../legacy/ws';

export function shipped(userId: string, orderId: string): void {
  push(userId, { type: 'order_shipped', orderId });
}
