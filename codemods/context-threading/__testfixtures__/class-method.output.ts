import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

class Notifier {
  constructor(private readonly prefix: string) {}

  send(text: string, ctx: UserExecutionContext): Promise<unknown> {
    return createWebSocketManager(ctx).emit('notice', { text: this.prefix + text });
  }
}

export function notifyAll(ctx: UserExecutionContext, texts: string[]): Promise<unknown[]> {
  const n = new Notifier('> ');
  return Promise.all(texts.map((t) => n.send(t, ctx)));
}
