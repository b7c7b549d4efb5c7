import { hubOperations } from 'ssot-migrate/canonical';
declare function require(id: string): typeof import('../legacy/ws');

export function nudge(userId: string): number {
  const hub = hubOperations();
  hub.sendToUser(userId, { type: 'nudge' });
  return hub.connectionCount(userId);
}
