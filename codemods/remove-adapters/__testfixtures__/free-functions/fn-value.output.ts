import { sendToUser, broadcast } from '../legacy/ws';

// passed as values, not called: the templates need the arguments
// TODO(ssot)[sendToUser]: sendToUser of src/legacy/ws is used as a value (not called); its template (functions[0].templates) applies to calls: call it in an arrow, or rewrite it by hand
export const senders = [sendToUser];
export function later(): void {
  setTimeout(() => undefined, 0);
  // TODO(ssot)[broadcast]: broadcast of src/legacy/ws is used as a value (not called); its template (functions[0].templates) applies to calls: call it in an arrow, or rewrite it by hand
  [{ type: 'a' }].forEach(broadcast);
}
declare function setTimeout(f: () => void, ms: number): void;
