// Members taken out of the object manager (one renamed, one never used and with no template): each
// call becomes its member's template, and the destructuring goes with its last use (the import with it).
import { hubOperations } from 'ssot-migrate/canonical';

export function progress(orderId: string): void {
  const hub = hubOperations();
  hub.sendToUser(orderId, { orderId: orderId, status: 'routing', ...(undefined as Record<string, unknown> | undefined) });
  hub.sendToUser(orderId, { ...{ orderId, status: 'failed' } });
}
