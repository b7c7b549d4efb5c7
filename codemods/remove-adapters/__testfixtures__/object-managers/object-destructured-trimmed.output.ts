// A destructured member with a template is rewritten and trimmed off; one with none stays, marked.
import { wsManager } from '../legacy/ws.js';
import { hubOperations } from 'ssot-migrate/canonical';

// TODO(ssot)[wsManager]: members of wsManager destructured here stay on the legacy object: wsManager.count has no template in classes[].members — call them on `wsManager` so their templates apply, or rewrite by hand
const { count } = wsManager;

export function report(orderId: string): number {
  hubOperations().sendToUser(orderId, { ...{ orderId, status: 'reported' } });
  return count();
}
