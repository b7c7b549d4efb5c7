// A module of free functions (functions[]): a templated function is remove-adapters' (deferred),
// one with no template is unmapped and the report says where its decision goes.
import * as conns from '../legacy/conns';
import { sendToUser as push, removeClient } from '../legacy/conns';

export function leave(userId: string): void {
  push(userId, { type: 'bye' });
  conns.sendToUser(userId, { type: 'left' });
  removeClient(userId);
}
