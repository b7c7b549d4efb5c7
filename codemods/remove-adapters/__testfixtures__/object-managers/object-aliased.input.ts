import { wsManager as orders } from '../legacy/ws.js';
import * as legacy from '../legacy/ws.js';
import { manager } from '../legacy/barrel.js';

export function fanOut(ids: string[], payload: Record<string, unknown>): void {
  for (const id of ids) orders.notify(id, payload);
  legacy.wsManager.sendStatus(ids[0] ?? 'none', 'pending');
  manager.notify('barrel', payload);
}
