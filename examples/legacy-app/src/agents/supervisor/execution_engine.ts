/**
 * Runs one agent request and reports progress through the five critical events. It gets
 * its manager from the legacy factory (the shared instance) and talks to it through
 * WebSocketManagerAdapter — the path the mission-critical and isolation tests exercise.
 */
import type { UserExecutionContext } from '@app/services/user_execution_context.js';
import { createWebSocketManager } from '@app/websocket_core/websocket_manager_factory.js';
import { WebSocketManagerAdapter } from '@app/agents/supervisor/agent_registry.js';
import { runTool } from '../tools/tool_runner.js';

export interface AgentRequest {
  agentName: string;
  prompt: string;
  toolName?: string;
}

export interface AgentResult {
  status: 'completed';
  finalResponse: string;
}

/** Lets other requests run between steps, as real agent work (LLM calls, tools) does. */
function yieldToOtherRequests(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function runAgent(ctx: UserExecutionContext, request: AgentRequest): Promise<AgentResult> {
  const manager = createWebSocketManager(ctx);
  const notifier = new WebSocketManagerAdapter(manager);

  await notifier.notifyAgentStarted(request.agentName);
  await yieldToOtherRequests();

  await notifier.notifyAgentThinking(`Working out how to answer "${request.prompt}" for this thread`);
  await yieldToOtherRequests();

  const toolName = request.toolName ?? 'knowledge_search';
  const parameters = { query: request.prompt, limit: 3 };
  await notifier.notifyToolExecuting(toolName, parameters);
  const startedAt = Date.now();
  const results = await runTool(toolName, parameters);
  await notifier.notifyToolCompleted(toolName, results, Date.now() - startedAt);
  await yieldToOtherRequests();

  const finalResponse = `${request.agentName} found ${results.length} result(s) for "${request.prompt}"`;
  await notifier.notifyAgentCompleted(finalResponse, 'completed');
  return { status: 'completed', finalResponse };
}
