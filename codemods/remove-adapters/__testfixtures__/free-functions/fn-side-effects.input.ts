import { sendToUser } from '../legacy/ws';

let n = 0;
export function count(userId: string): number {
  sendToUser(userId, { type: 'n', n: n++ });
  return n;
}
export const result = sendToUser('u', { type: 'x' });
export function nested(): void {
  sendToUser(pick(), { type: 'y' });
}
function pick(): string {
  return 'u';
}
