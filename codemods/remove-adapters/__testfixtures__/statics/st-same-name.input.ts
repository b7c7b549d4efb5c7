import WebSocketClients from '../legacy/clients';
import { Unrelated } from '../other/unrelated';

// a same-named instance member (classes[].members) and an unrelated class with the same static name
export function both(userId: string, c: WebSocketClients): number {
  WebSocketClients.emitDataToUser(userId, 'static', 1);
  Unrelated.emitDataToUser(userId, 'unrelated', 2);
  return c.emitDataToUser(userId);
}
