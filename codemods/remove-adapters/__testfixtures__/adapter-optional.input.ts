import { WebSocketManagerAdapter } from '../legacy/agent_registry.js';

export class Session {
  adapter: WebSocketManagerAdapter | undefined;
  holder?: { adapter?: WebSocketManagerAdapter };

  async greet(): Promise<void> {
    await this.adapter?.notifyAgentStarted('greeter');
    await this.holder?.adapter?.notifyAgentThinking('thinking');
    await this.adapter!.notifyAgentCompleted('done');
    // `?.(` on a method the adapter always has tests nothing: a plain call
    await this.adapter!.notifyAgentThinking?.('again');
  }
}
