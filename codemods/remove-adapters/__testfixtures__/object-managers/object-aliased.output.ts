import { hubOperations } from 'ssot-migrate/canonical';

export function fanOut(ids: string[], payload: Record<string, unknown>): void {
  for (const id of ids) hubOperations().sendToUser(id, { ...payload });
  const hub = hubOperations();
  hub.sendToUser(ids[0] ?? 'none', { orderId: ids[0] ?? 'none', status: 'pending', ...(undefined as Record<string, unknown> | undefined) });
  hub.sendToUser('barrel', { ...payload });
}
