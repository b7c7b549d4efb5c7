import { sendToUser as send } from '../legacy/ws';

export function a(userId: string): void {
  send(userId, { type: 'a' });
}

export function b(send: (x: string) => void): void {
  // a local of the same name is not the legacy function
  send('local');
}

export function c(flag: boolean): void {
  // a block's const, a var hoisted to its function, a catch variable: each shadows the import where it is
  {
    const send = (x: string): void => void x;
    send('block');
  }
  if (flag) {
    var send: ((x: string) => void) | undefined = (x: string): void => void x;
  }
  send?.('var');
  try {
    flag = !flag;
  } catch (send) {
    void send;
  }
}
