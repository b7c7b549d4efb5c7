import WebSocketClients from '../legacy/clients';

export function notify(clients: typeof WebSocketClients, userId: string): void {
  clients.emitDataToUser(userId, 'notified', { ok: true });
}

export function run(userId: string): void {
  notify(WebSocketClients, userId);
}
