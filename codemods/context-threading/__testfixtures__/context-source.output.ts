import type { Request } from '../http/types.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

function reply(text: string, ctx: UserExecutionContext): Promise<unknown> {
  return createWebSocketManager(ctx).emit('reply', { text });
}

export const route = (req: Request): Promise<unknown> => reply(req.path, req.ctx);

export const direct = (req: Request): Promise<unknown> => createWebSocketManager(req.ctx).emit('direct', { path: req.path });
