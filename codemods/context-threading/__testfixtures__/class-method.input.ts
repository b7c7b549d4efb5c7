import { getWebSocketManager } from '../legacy/manager.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';

class Notifier {
  constructor(private readonly prefix: string) {}

  send(text: string): Promise<unknown> {
    return getWebSocketManager().emit('notice', { text: this.prefix + text });
  }
}

export function notifyAll(ctx: UserExecutionContext, texts: string[]): Promise<unknown[]> {
  const n = new Notifier('> ');
  return Promise.all(texts.map((t) => n.send(t)));
}
