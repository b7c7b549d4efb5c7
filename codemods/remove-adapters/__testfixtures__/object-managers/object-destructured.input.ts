// Members taken out of the object manager (one renamed, one never used and with no template): each
// call becomes its member's template, and the destructuring goes with its last use (the import with it).
import { wsManager } from '../legacy/ws.js';

const { notify: push, sendStatus, count } = wsManager;

export function progress(orderId: string): void {
  sendStatus(orderId, 'routing');
  push(orderId, { orderId, status: 'failed' });
}
