// A legacy call site, written the way examples/legacy-app's request handlers use the manager layer.
import type { UserExecutionContext } from '../../../../examples/legacy-app/src/services/user_execution_context.js';
import type { SocketLike } from '../facades/unified_manager.js';
import { getWebSocketManager } from '../facades/websocket_manager_factory.js';
import { WebSocketManagerAdapter } from '../facades/agent_registry.js';

export async function connect(ctx: UserExecutionContext, socket: SocketLike): Promise<string> {
  const manager = getWebSocketManager(ctx); // SITE_CONNECT
  return manager.connectUser(ctx.userId, socket, `conn_${ctx.userId}`, ctx.threadId);
}

/** Runs one agent and reports the five critical events; `between` lets tests interleave users. */
export async function runAgent(ctx: UserExecutionContext, between: () => Promise<void> = async () => {}): Promise<void> {
  const manager = getWebSocketManager(ctx); // SITE_RUN
  const adapter = new WebSocketManagerAdapter(manager, ctx); // SITE_ADAPTER
  await adapter.notifyAgentStarted('triage');
  await between();
  await adapter.notifyAgentThinking(`thinking for ${ctx.userId}`);
  await between();
  await adapter.notifyToolExecuting('search', { q: ctx.userId });
  await between();
  await adapter.notifyToolCompleted('search', { hits: 1 }, 12);
  await between();
  await adapter.notifyAgentCompleted(`done for ${ctx.userId}`);
}

/** The legacy habit that caused the leak: no context, "the" manager as last bound. */
export async function notifyWithoutContext(userId: string, text: string): Promise<void> {
  const manager = getWebSocketManager(); // SITE_NOCTX
  await manager.emitCriticalEvent(userId, 'agent_thinking', { reasoning: text });
}
