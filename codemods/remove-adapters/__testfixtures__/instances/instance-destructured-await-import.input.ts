// Members taken out of the exported instance a lazy import loads: `(await import(L)).sessionHub` is
// the module's export, read once the load settles; each call becomes its member's template.
export async function notifyLater(sessionId: string): Promise<number> {
  const { broadcast, count } = (await import('../legacy/hub.js')).sessionHub;
  broadcast({ type: 'status', sessionId });
  return count();
}
