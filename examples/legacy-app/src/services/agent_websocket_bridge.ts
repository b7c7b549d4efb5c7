/**
 * Port of services/agent_websocket_bridge.py, the main agent path in the original: notify
 * methods for the five events, each routed through `sendToThread(threadId, ...)`, which the
 * manager treats as a user id — so these notifications reach nobody unless a socket was
 * registered under the thread id.
 */
import { type UnifiedWebSocketManager, getWebSocketManager } from '../websocket_core/unified_manager.js';
import type { UserExecutionContext } from './user_execution_context.js';

export enum IntegrationState {
  UNINITIALIZED = 'uninitialized',
  ACTIVE = 'active',
}

export class AgentWebSocketBridge {
  state = IntegrationState.UNINITIALIZED;
  private manager: UnifiedWebSocketManager | undefined;

  constructor(readonly userContext?: UserExecutionContext) {}

  set websocketManager(manager: UnifiedWebSocketManager) {
    if (typeof manager.sendToThread !== 'function') throw new TypeError('websocketManager must have sendToThread');
    this.manager = manager;
    this.state = IntegrationState.ACTIVE;
  }

  get websocketManager(): UnifiedWebSocketManager {
    this.manager ??= getWebSocketManager();
    return this.manager;
  }

  async notifyAgentStarted(runId: string, agentName: string): Promise<boolean> {
    return this.route(runId, { type: 'agent_started', agentName, data: { status: 'started', message: `${agentName} has started processing your request` } });
  }

  async notifyAgentThinking(runId: string, agentName: string, reasoning: string, stepNumber?: number): Promise<boolean> {
    return this.route(runId, { type: 'agent_thinking', agentName, reasoning, data: { reasoning, stepNumber, status: 'thinking' } });
  }

  async notifyToolExecuting(runId: string, toolName: string, parameters: Record<string, unknown> = {}): Promise<boolean> {
    return this.route(runId, { type: 'tool_executing', toolName, parameters, data: { status: 'executing' } });
  }

  async notifyToolCompleted(runId: string, toolName: string, results: unknown, durationMs: number): Promise<boolean> {
    return this.route(runId, { type: 'tool_completed', toolName, results, durationMs, data: { result: results, status: 'completed' } });
  }

  async notifyAgentCompleted(runId: string, agentName: string, finalResponse: string): Promise<boolean> {
    return this.route(runId, { type: 'agent_completed', agentName, status: 'completed', finalResponse, data: { status: 'completed' } });
  }

  /** Thread from the context, else parsed from a run id shaped `thread_<id>_run_<...>`. */
  resolveThreadId(runId: string): string {
    if (this.userContext) return this.userContext.threadId;
    const match = /^thread_(.+?)_run_/.exec(runId);
    return match?.[1] ?? runId;
  }

  private async route(runId: string, notification: Record<string, unknown>): Promise<boolean> {
    const threadId = this.resolveThreadId(runId);
    return this.websocketManager.sendToThread(threadId, {
      ...notification,
      runId,
      userId: this.userContext?.userId ?? threadId,
      timestamp: new Date().toISOString(),
    });
  }
}

export function createAgentWebSocketBridge(userContext?: UserExecutionContext, websocketManager?: UnifiedWebSocketManager): AgentWebSocketBridge {
  const bridge = new AgentWebSocketBridge(userContext);
  if (websocketManager) bridge.websocketManager = websocketManager;
  return bridge;
}
