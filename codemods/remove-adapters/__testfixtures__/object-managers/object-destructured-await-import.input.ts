// Members taken out of the object manager a lazy import loads (`(await import(L)).wsManager`): the
// module's export, read once the load settles, as the static import's binding is; each call becomes
// its member's template and the load goes with the destructuring's last binding.
export async function progress(orderId: string): Promise<void> {
  const { notify: push, sendStatus } = (await import('../legacy/ws.js')).wsManager;
  sendStatus(orderId, 'routing');
  push(orderId, { orderId, status: 'failed' });
}

export async function retry(orderId: string): Promise<void> {
  const { notify } = (await import('../legacy/ws.js')).wsManager;
  const { wsManager } = await import('../legacy/ws.js');
  notify(orderId, { orderId, status: 'retry' });
  wsManager.notify(orderId, { orderId, status: 'again' });
}
