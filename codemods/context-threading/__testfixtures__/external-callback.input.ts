import { getWebSocketManager } from '../legacy/manager.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';
import { on } from 'fake-events';

on('tick', () => getWebSocketManager().emit('tick', {}));

function onClose(): Promise<unknown> {
  return getWebSocketManager().emit('close', {});
}

on('close', onClose);

export function viaContext(ctx: UserExecutionContext): Promise<unknown> {
  return getWebSocketManager(ctx).emit('ok', {});
}
