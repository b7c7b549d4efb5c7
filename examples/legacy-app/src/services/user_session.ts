/** One user's session: holds its context in a field, and wires the registry's adapter from it. */
import { getWebSocketManager } from '../websocket_core/websocket_manager_factory.js';
import { AgentRegistry } from '../agents/supervisor/agent_registry.js';
import type { UserExecutionContext } from './user_execution_context.js';

export class UserAgentSession {
  readonly registry = new AgentRegistry();

  constructor(private readonly ctx: UserExecutionContext) {}

  attachWebSocket(): void {
    this.registry.setWebSocketManager(getWebSocketManager(this.ctx), this.ctx);
  }

  async greet(): Promise<void> {
    await this.registry.websocketAdapter?.notifyAgentStarted('session_greeter');
  }
}
