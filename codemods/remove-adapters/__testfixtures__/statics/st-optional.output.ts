import { hubOperations } from 'ssot-migrate/canonical';

// `C?.x(…)`: the class is never nullish, the call is the static's
export function ping(userId: string): void {
  hubOperations().sendToUser(userId, { type: 'ping', payload: null });
}
