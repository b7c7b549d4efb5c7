import type { UserExecutionContext } from '../services/user_execution_context.js';
import { WebSocketManagerAdapter } from '../legacy/agent_registry.js';
import { getWebSocketManager } from '../legacy/manager.js';

export class AgentRun {
  private readonly adapter: WebSocketManagerAdapter;

  constructor(ctx: UserExecutionContext) {
    this.adapter = new WebSocketManagerAdapter(getWebSocketManager(ctx), ctx);
  }

  async start(): Promise<void> {
    await this.adapter.notifyAgentStarted('triage');
    await this.adapter.notifyAgentCompleted('done');
  }

  async finish(failed: boolean, reason?: string): Promise<void> {
    // an argument that would bind differently inside the template (`||` before its `??`) is parenthesised
    await this.adapter.notifyAgentCompleted('done', (failed && reason) || undefined);
    await this.adapter.notifyAgentCompleted('done', reason || undefined);
  }
}
