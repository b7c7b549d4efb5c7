import { type UserExecutionContext, hubOperations } from 'ssot-migrate/canonical';
import { type Peer } from '../legacy/registry';

/**
 * Templates per member of a field that need the request's context (`$ctx`): no context is in
 * scope at the uses, so context threading gives their functions one, as it does for a member call
 * (a call ending the chain, and a read: `inbox.size`), and every caller passes its own.
 */
function admit(id: string, socket: Peer, ctx: UserExecutionContext): void {
  hubOperations().connect(ctx.userId, socket, { connectionId: id });
}

function count(ctx: UserExecutionContext): number {
  return hubOperations().connectionCount(ctx.userId);
}

export function onConnect(ctx: UserExecutionContext, id: string, socket: Peer): number {
  admit(id, socket, ctx);
  return count(ctx);
}
