// A class used through its statics (classes[].statics): its imports are remove-adapters' (deferred),
// whichever form reaches it (default, named default, namespace).
import WebSocketClients from '../legacy/clients';
import { default as Clients } from '../legacy/clients';
import * as clients from '../legacy/clients';

export function notify(userId: string): void {
  WebSocketClients.emitDataToUser(userId, 'a', 1);
  Clients.emitDataToUser(userId, 'b', 2);
  clients.default.emitDataToUser(userId, 'c', 3);
}
