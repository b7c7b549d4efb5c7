import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

// the interface lives in a legacy module (it goes away with it): not a boundary
export class NoticePublisher {
  async publish(ctx: UserExecutionContext, text: string): Promise<boolean> {
    await createWebSocketManager(ctx).emit('notice', { userId: ctx.userId, text });
    return true;
  }
}

interface Named { readonly name: string }

// only the legacy entry goes; the import goes once neither class names it
export class NamedPublisher implements Named {
  readonly name = 'named';

  async publish(ctx: UserExecutionContext, text: string): Promise<boolean> {
    await createWebSocketManager(ctx).emit('named', { userId: ctx.userId, text });
    return true;
  }
}
