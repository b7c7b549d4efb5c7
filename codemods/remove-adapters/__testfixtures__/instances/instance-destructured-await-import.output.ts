import { hubOperations } from 'ssot-migrate/canonical';
// Members taken out of the exported instance a lazy import loads: `(await import(L)).sessionHub` is
// the module's export, read once the load settles; each call becomes its member's template.
export async function notifyLater(sessionId: string): Promise<number> {
  const hub = hubOperations();
  hub.broadcastAll({ type: 'status', sessionId });
  return hub.connectionCount();
}
