import { wsManager, LIMIT } from '../legacy/ws.js';

export function full(): boolean {
  return wsManager.count() >= LIMIT;
}
