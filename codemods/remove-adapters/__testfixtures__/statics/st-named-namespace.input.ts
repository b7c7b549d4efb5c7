import { WebSocketService } from '../legacy/service';
import * as svc from '../legacy/service';
import * as clients from '../legacy/clients';

export function handleOrderCreated(userId: string, order: { id: string }): void {
  WebSocketService.emitToUser(userId, 'order_created', { orderId: order.id });
  svc.WebSocketService.emitToUser(userId, 'order_seen', { orderId: order.id });
  clients.default.emitDataToUser(userId, 'order', order);
}
