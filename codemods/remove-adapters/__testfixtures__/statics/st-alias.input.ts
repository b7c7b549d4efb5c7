import WebSocketClients from '../legacy/clients';

const W = WebSocketClients;

export function ping(userId: string): void {
  W.emitDataToUser(userId, 'ping', null);
}
