import { sessionHub } from '../legacy/hub.js';

// a member mapped to `undefined` does nothing any more: its call statements go, a value stays `undefined`
export async function onMessage(clientId: string, next: () => string): Promise<unknown> {
  await sessionHub.retire(clientId);
  void sessionHub.retire(clientId);
  sessionHub.retire(next());
  return sessionHub.retire(clientId);
}
