import WebSocketClients from '../legacy/clients';

type Socket = { send(data: string): void };

// a static arrow property and a static method of a default-exported class, called
export function onConnect(userId: string, ws: Socket): void {
  WebSocketClients.registerWebSocketClient(userId, ws);
  WebSocketClients.emitDataToUser(userId, 'welcome', { at: 1 });
}

export function notifyAll(users: string[], data: unknown): void {
  WebSocketClients.emitDataToUsers(users, 'update', data);
}

// a static getter read, not called
export const online = (): number => WebSocketClients.connectedUsers.length;
