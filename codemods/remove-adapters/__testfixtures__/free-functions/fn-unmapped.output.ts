import { removeClient } from '../legacy/ws';
import { hubOperations } from 'ssot-migrate/canonical';

export function leave(userId: string): void {
  hubOperations().sendToUser(userId, { type: 'bye' });
  // TODO(ssot)[removeClient]: removeClient of src/legacy/ws has no template in functions[0].templates; map it in ssot.config.json or rewrite it by hand
  removeClient(userId);
}
