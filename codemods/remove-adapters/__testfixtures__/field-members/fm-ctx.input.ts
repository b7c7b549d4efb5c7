import type { UserExecutionContext } from 'ssot-migrate/canonical';
import { registry, type Peer } from '../legacy/registry';

/**
 * Templates per member of a field that need the request's context (`$ctx`): no context is in
 * scope at the uses, so context threading gives their functions one, as it does for a member call
 * (a call ending the chain, and a read: `inbox.size`), and every caller passes its own.
 */
function admit(id: string, socket: Peer): void {
  registry.inbox.set(id, socket);
}

function count(): number {
  return registry.inbox.size;
}

export function onConnect(ctx: UserExecutionContext, id: string, socket: Peer): number {
  admit(id, socket);
  return count();
}
