import WebSocketClients from '../legacy/clients';
import { hubOperations } from 'ssot-migrate/canonical';

// TODO(ssot)[WebSocketClients]: `WebSocketClients` reads the legacy class WebSocketClients itself; classes[0].statics rewrites its statics' calls and reads, not the class: replace it by hand (e.g. the canonical code the statics became)
const W = WebSocketClients;

export function ping(userId: string): void {
  hubOperations().sendToUser(userId, { type: 'ping', payload: null });
}
