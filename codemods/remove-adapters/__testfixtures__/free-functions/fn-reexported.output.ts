import { hubOperations } from 'ssot-migrate/canonical';

export function relay(userId: string): void {
  hubOperations().sendToUser(userId, { type: 'relayed' });
}
