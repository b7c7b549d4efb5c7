import WebSocketClients from '../legacy/clients';
import { hubOperations } from 'ssot-migrate/canonical';

// TODO(ssot)[WebSocketClients]: `typeof WebSocketClients` names the legacy class WebSocketClients itself; classes[0].statics rewrites its statics' calls and reads, not the class: replace it by hand (e.g. the canonical code the statics became)
export function notify(clients: typeof WebSocketClients, userId: string): void {
  hubOperations().sendToUser(userId, { type: 'notified', payload: { ok: true } });
}

export function run(userId: string): void {
  // TODO(ssot)[WebSocketClients]: `WebSocketClients` reads the legacy class WebSocketClients itself; classes[0].statics rewrites its statics' calls and reads, not the class: replace it by hand (e.g. the canonical code the statics became)
  notify(WebSocketClients, userId);
}
