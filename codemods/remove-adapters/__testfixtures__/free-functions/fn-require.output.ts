import { hubOperations } from 'ssot-migrate/canonical';
declare function require(id: string): typeof import('../legacy/ws');

export function nudge(userId: string): number {
  hubOperations().sendToUser(userId, { type: 'nudge' });
  return hubOperations().connectionCount(userId);
}
