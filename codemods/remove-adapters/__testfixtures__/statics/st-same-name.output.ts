import WebSocketClients from '../legacy/clients';
import { Unrelated } from '../other/unrelated';
import { hubOperations } from 'ssot-migrate/canonical';

// a same-named instance member (classes[].members) and an unrelated class with the same static name
export function both(userId: string, c: WebSocketClients): number {
  hubOperations().sendToUser(userId, { type: 'static', payload: 1 });
  Unrelated.emitDataToUser(userId, 'unrelated', 2);
  return hubOperations().connectionCount(userId);
}
