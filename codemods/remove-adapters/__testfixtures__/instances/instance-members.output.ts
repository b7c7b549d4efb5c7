import { hubOperations } from 'ssot-migrate/canonical';

/** Member calls on the exported instance follow classes[].members; the import goes with them. */
export function notify(sessionId: string): number {
  const hub = hubOperations();
  hub.broadcastAll({ type: 'status', sessionId });
  return hub.connectionCount();
}
