import { push } from '../legacy/barrel';

export function relay(userId: string): void {
  push(userId, { type: 'relayed' });
}
