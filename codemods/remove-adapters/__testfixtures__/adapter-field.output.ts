import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager, type ScopedWebSocketManager } from 'ssot-migrate/canonical';

export class AgentRun {
  private readonly adapter: ScopedWebSocketManager;

  constructor(ctx: UserExecutionContext) {
    this.adapter = createWebSocketManager(ctx);
  }

  async start(): Promise<void> {
    await this.adapter.emit('agent_started', { agentName: 'triage' });
    await this.adapter.emit('agent_completed', { status: 'completed', finalResponse: 'done' });
  }

  async finish(failed: boolean, reason?: string): Promise<void> {
    // an argument that would bind differently inside the template (`||` before its `??`) is parenthesised
    await this.adapter.emit('agent_completed', { status: ((failed && reason) || undefined) ?? 'completed', finalResponse: 'done' });
    await this.adapter.emit('agent_completed', { status: (reason || undefined) ?? 'completed', finalResponse: 'done' });
  }
}
