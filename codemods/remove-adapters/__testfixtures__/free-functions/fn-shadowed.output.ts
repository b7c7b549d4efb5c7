import { sendToUser as send } from '../legacy/ws';
import { hubOperations } from 'ssot-migrate/canonical';

export function a(userId: string): void {
  hubOperations().sendToUser(userId, { type: 'a' });
}

export function b(send: (x: string) => void): void {
  // a local of the same name is not the legacy function
  send('local');
}
