// Members taken out of the object manager (one renamed): each call becomes its member's template,
// and the destructuring goes with its last use (the import with it).
import { wsManager } from '../legacy/ws.js';

const { notify: push, sendStatus } = wsManager;

export function progress(orderId: string): void {
  sendStatus(orderId, 'routing');
  push(orderId, { orderId, status: 'failed' });
}
