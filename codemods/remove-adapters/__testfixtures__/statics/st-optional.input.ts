import WebSocketClients from '../legacy/clients';

// `C?.x(…)`: the class is never nullish, the call is the static's
export function ping(userId: string): void {
  WebSocketClients?.emitDataToUser(userId, 'ping', null);
}
