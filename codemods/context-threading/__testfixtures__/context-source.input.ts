import { getWebSocketManager } from '../legacy/manager.js';
import type { Request } from '../http/types.js';

function reply(text: string): Promise<unknown> {
  return getWebSocketManager().emit('reply', { text });
}

export const route = (req: Request): Promise<unknown> => reply(req.path);

export const direct = (req: Request): Promise<unknown> => getWebSocketManager().emit('direct', { path: req.path });
