import { getWebSocketManager } from '../legacy/manager.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';
import { bus, on } from 'fake-events';
import { createWebSocketManager } from 'ssot-migrate/canonical';

// TODO(ssot): getWebSocketManager() is the shared legacy manager: no value of type UserExecutionContext in scope, and threading it stops at a boundary: getWebSocketManager() at src/app/external-callback.ts:5 → (anonymous) (src/app/external-callback.ts:5) → boundary: callback passed to on (outside the repo) at src/app/external-callback.ts:5: its caller chooses the arguments
on('tick', () => getWebSocketManager().emit('tick', {}));

function onClose(): Promise<unknown> {
  // TODO(ssot): getWebSocketManager() is the shared legacy manager: no value of type UserExecutionContext in scope, and threading it stops at a boundary: getWebSocketManager() at src/app/external-callback.ts:8 → onClose (src/app/external-callback.ts:7) → boundary: onClose is a callback passed to on (outside the repo) at src/app/external-callback.ts:11: its caller chooses the arguments
  return getWebSocketManager().emit('close', {});
}

on('close', onClose);

function onMulti(): Promise<unknown> {
  // TODO(ssot): getWebSocketManager() is the shared legacy manager: no value of type UserExecutionContext in scope, and threading it stops at a boundary: getWebSocketManager() at src/app/external-callback.ts:14 → onMulti (src/app/external-callback.ts:13) → boundary: onMulti is a callback passed to bus() .on('open', () => undefined) .on (outside the repo) at src/app/external-callback.ts:20: its caller chooses the arguments
  return getWebSocketManager().emit('multi', {});
}

// the callee spans lines: the chain quotes it on one line
bus()
  .on('open', () => undefined)
  .on('multi', onMulti);

export function viaContext(ctx: UserExecutionContext): Promise<unknown> {
  return createWebSocketManager(ctx).emit('ok', {});
}
