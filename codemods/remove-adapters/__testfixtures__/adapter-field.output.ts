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
}
