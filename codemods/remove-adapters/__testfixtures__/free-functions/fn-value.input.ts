import { sendToUser, broadcast } from '../legacy/ws';

// passed as values, not called: the templates need the arguments
export const senders = [sendToUser];
export function later(): void {
  setTimeout(() => undefined, 0);
  [{ type: 'a' }].forEach(broadcast);
}
declare function setTimeout(f: () => void, ms: number): void;
