// Members taken out of the exported instance (instances[]): each call becomes its member's
// template, not a destructuring of the instance's replacement (the hub has no `broadcast`).
import { sessionHub } from '../legacy/hub.js';

const { broadcast, count, retire } = sessionHub;

export async function notify(sessionId: string): Promise<number> {
  broadcast({ type: 'status', sessionId });
  await retire(sessionId);
  return count();
}
