import * as ws from '../legacy/ws';
import { hubOperations } from 'ssot-migrate/canonical';

export function announce(text: string): number {
  const hub = hubOperations();
  hub.broadcastAll({ type: 'announcement', text });
  return hub.connectionCount('admin') + ws.MAX;
}
