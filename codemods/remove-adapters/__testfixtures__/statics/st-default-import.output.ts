import { hubOperations } from 'ssot-migrate/canonical';

type Socket = { send(data: string): void };

// a static arrow property and a static method of a default-exported class, called
export function onConnect(userId: string, ws: Socket): void {
  const hub = hubOperations();
  hub.connect(userId, ws);
  hub.sendToUser(userId, { type: 'welcome', payload: { at: 1 } });
}

export function notifyAll(users: string[], data: unknown): void {
  users.forEach((u) => hubOperations().sendToUser(u, { type: 'update', payload: data }));
}

// a static getter read, not called
export const online = (): number => hubOperations().listConnectedUsers().length;
