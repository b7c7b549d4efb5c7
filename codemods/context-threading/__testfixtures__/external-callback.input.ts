import { getWebSocketManager } from '../legacy/manager.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';
import { bus, on } from 'fake-events';

on('tick', () => getWebSocketManager().emit('tick', {}));

function onClose(): Promise<unknown> {
  return getWebSocketManager().emit('close', {});
}

on('close', onClose);

function onMulti(): Promise<unknown> {
  return getWebSocketManager().emit('multi', {});
}

// the callee spans lines: the chain quotes it on one line
bus()
  .on('open', () => undefined)
  .on('multi', onMulti);

export function viaContext(ctx: UserExecutionContext): Promise<unknown> {
  return getWebSocketManager(ctx).emit('ok', {});
}
