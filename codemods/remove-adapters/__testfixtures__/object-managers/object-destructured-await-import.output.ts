import { hubOperations } from 'ssot-migrate/canonical';
// Members taken out of the object manager a lazy import loads (`(await import(L)).wsManager`): the
// module's export, read once the load settles, as the static import's binding is; each call becomes
// its member's template and the load goes with the destructuring's last binding.
export async function progress(orderId: string): Promise<void> {
  const hub = hubOperations();
  hub.sendToUser(orderId, { orderId: orderId, status: 'routing', ...(undefined as Record<string, unknown> | undefined) });
  hub.sendToUser(orderId, { ...{ orderId, status: 'failed' } });
}

export async function retry(orderId: string): Promise<void> {
  const hub = hubOperations();
  hub.sendToUser(orderId, { ...{ orderId, status: 'retry' } });
  hub.sendToUser(orderId, { ...{ orderId, status: 'again' } });
}
