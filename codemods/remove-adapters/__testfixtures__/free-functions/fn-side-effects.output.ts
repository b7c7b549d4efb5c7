import { hubOperations } from 'ssot-migrate/canonical';

let n = 0;
export function count(userId: string): number {
  hubOperations().sendToUser(userId, { type: 'n', n: n++ });
  return n;
}
export const result = hubOperations().sendToUser('u', { type: 'x' });
export function nested(): void {
  hubOperations().sendToUser(pick(), { type: 'y' });
}
function pick(): string {
  return 'u';
}
