import type { ScopedWebSocketManager } from 'ssot-migrate/canonical';

export class Session {
  adapter: ScopedWebSocketManager | undefined;
  holder?: { adapter?: ScopedWebSocketManager };

  async greet(): Promise<void> {
    await this.adapter?.emit('agent_started', { agentName: 'greeter' });
    await this.holder?.adapter?.emit('agent_thinking', { reasoning: 'thinking' });
    await this.adapter!.emit('agent_completed', { status: 'completed', finalResponse: 'done' });
    // `?.(` on a method the adapter always has tests nothing: a plain call
    await this.adapter!.emit('agent_thinking', { reasoning: 'again' });
  }
}
