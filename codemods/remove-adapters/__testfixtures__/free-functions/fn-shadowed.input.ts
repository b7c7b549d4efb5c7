import { sendToUser as send } from '../legacy/ws';

export function a(userId: string): void {
  send(userId, { type: 'a' });
}

export function b(send: (x: string) => void): void {
  // a local of the same name is not the legacy function
  send('local');
}
