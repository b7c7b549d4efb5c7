import * as ws from '../legacy/ws';

export function announce(text: string): number {
  ws.broadcast({ type: 'announcement', text });
  return ws.countFor('admin') + ws.MAX;
}
