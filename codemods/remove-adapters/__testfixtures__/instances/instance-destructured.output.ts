// Members taken out of the exported instance (instances[]): each call becomes its member's
// template, not a destructuring of the instance's replacement (the hub has no `broadcast`).
import { hubOperations } from 'ssot-migrate/canonical';

export async function notify(sessionId: string): Promise<number> {
  const hub = hubOperations();
  hub.broadcastAll({ type: 'status', sessionId });
  return hub.connectionCount();
}
