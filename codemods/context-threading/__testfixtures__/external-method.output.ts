import { getWebSocketManager } from '../legacy/manager.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';
import type { Handler } from 'fake-events';

export class TickHandler implements Handler {
  handle(event: string): Promise<unknown> {
    // TODO(ssot): getWebSocketManager() is the shared legacy manager: no value of type UserExecutionContext in scope, and threading it stops at a boundary: getWebSocketManager() at src/app/external-method.ts:7 → TickHandler.handle (src/app/external-method.ts:6) → boundary: TickHandler.handle: its signature is fixed by Handler (outside the repo)
    return getWebSocketManager().emit(event, {});
  }
}

export function useIt(ctx: UserExecutionContext): Promise<unknown> {
  return new TickHandler().handle(ctx.userId);
}
