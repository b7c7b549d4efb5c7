// A destructured member with a template is rewritten and trimmed off; one with none stays, marked.
import { wsManager } from '../legacy/ws.js';

const { notify, count } = wsManager;

export function report(orderId: string): number {
  notify(orderId, { orderId, status: 'reported' });
  return count();
}
