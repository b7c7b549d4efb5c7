import { hubOperations } from 'ssot-migrate/canonical';

/** `mustGet` never returns undefined (strict null checks): its `?.` tests nothing and the chain's template crosses it. */
export function tell(userId: string, data: string): void {
  hubOperations().sendToUser(userId, JSON.parse(data));
}
