// Members destructured from the default-imported object manager.
import { hubOperations } from 'ssot-migrate/canonical';

export function push(userId: string, event: string): void {
  hubOperations().sendToUser(userId, { type: 'event', event });
}
