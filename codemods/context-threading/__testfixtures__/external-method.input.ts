import { getWebSocketManager } from '../legacy/manager.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';
import type { Handler } from 'fake-events';

export class TickHandler implements Handler {
  handle(event: string): Promise<unknown> {
    return getWebSocketManager().emit(event, {});
  }
}

export function useIt(ctx: UserExecutionContext): Promise<unknown> {
  return new TickHandler().handle(ctx.userId);
}
