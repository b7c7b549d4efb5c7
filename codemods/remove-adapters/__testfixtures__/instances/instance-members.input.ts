import { sessionHub } from '../legacy/hub.js';

/** Member calls on the exported instance follow classes[].members; the import goes with them. */
export function notify(sessionId: string): number {
  sessionHub.broadcast({ type: 'status', sessionId });
  return sessionHub.count();
}
