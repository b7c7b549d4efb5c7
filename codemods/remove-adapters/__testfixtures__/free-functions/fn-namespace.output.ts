import * as ws from '../legacy/ws';
import { hubOperations } from 'ssot-migrate/canonical';

export function announce(text: string): number {
  hubOperations().broadcastAll({ type: 'announcement', text });
  return hubOperations().connectionCount('admin') + ws.MAX;
}
