/**
 * Port of agents/supervisor/agent_registry.py (through 2025-09-13): the agent registry and
 * WebSocketManagerAdapter, which gives agents notify-style method names for the five
 * critical events. Each adapter method maps to one canonical call (manifest `adapters`):
 *   notifyAgentStarted(agentName)                      -> $m.emit('agent_started', { agentName })
 *   notifyAgentThinking(reasoning)                     -> $m.emit('agent_thinking', { reasoning })
 *   notifyToolExecuting(toolName, parameters)          -> $m.emit('tool_executing', { toolName, parameters })
 *   notifyToolCompleted(toolName, results, durationMs) -> $m.emit('tool_completed', { toolName, results, durationMs })
 *   notifyAgentCompleted(finalResponse, status?)       -> $m.emit('agent_completed', { status, finalResponse })
 *
 * Defect kept on purpose: without an explicit context the adapter reads the wrapped
 * manager's `userContext`, which the shared factory instance overwrites per request.
 */
import type { UserExecutionContext } from '../../services/user_execution_context.js';
import type { LegacyMessage, ManagerUserContext, UnifiedWebSocketManager } from '../../websocket_core/unified_manager.js';

export interface AdapterMetrics {
  eventsSent: number;
  eventsSkipped: number;
}

export class WebSocketManagerAdapter {
  private readonly metrics: AdapterMetrics = { eventsSent: 0, eventsSkipped: 0 };

  constructor(
    private readonly websocketManager: UnifiedWebSocketManager,
    private readonly userContext?: UserExecutionContext,
  ) {}

  /** The wrapped manager (Python: `__getattr__` delegated unknown attributes to it). */
  get manager(): UnifiedWebSocketManager {
    return this.websocketManager;
  }

  async notifyAgentStarted(agentName: string): Promise<void> {
    await this.send('agent_started', { agentName });
  }

  async notifyAgentThinking(reasoning: string): Promise<void> {
    await this.send('agent_thinking', { reasoning });
  }

  async notifyToolExecuting(toolName: string, parameters: Record<string, unknown>): Promise<void> {
    await this.send('tool_executing', { toolName, parameters });
  }

  async notifyToolCompleted(toolName: string, results: unknown, durationMs: number): Promise<void> {
    await this.send('tool_completed', { toolName, results, durationMs });
  }

  async notifyAgentCompleted(finalResponse: string, status: string = 'completed'): Promise<void> {
    await this.send('agent_completed', { status, finalResponse });
  }

  getMetrics(): AdapterMetrics {
    return { ...this.metrics };
  }

  private async send(eventType: string, data: LegacyMessage): Promise<void> {
    const ctx: ManagerUserContext | undefined = this.userContext ?? this.websocketManager.userContext;
    if (!ctx) {
      // The original logged at debug level and skipped.
      this.metrics.eventsSkipped += 1;
      return;
    }
    await this.websocketManager.emitCriticalEvent(ctx.userId, eventType, {
      runId: ctx.runId,
      threadId: ctx.threadId,
      ...data,
    });
    this.metrics.eventsSent += 1;
  }
}

export interface AgentDefinition {
  name: string;
  description: string;
}

export class AgentRegistry {
  private readonly agents = new Map<string, AgentDefinition>();
  private adapter: WebSocketManagerAdapter | undefined;

  register(agent: AgentDefinition): void {
    this.agents.set(agent.name, agent);
  }

  get(name: string): AgentDefinition | undefined {
    return this.agents.get(name);
  }

  list(): AgentDefinition[] {
    return [...this.agents.values()];
  }

  setWebSocketManager(manager: UnifiedWebSocketManager, userContext?: UserExecutionContext): void {
    this.adapter = new WebSocketManagerAdapter(manager, userContext);
  }

  get websocketAdapter(): WebSocketManagerAdapter | undefined {
    return this.adapter;
  }
}
