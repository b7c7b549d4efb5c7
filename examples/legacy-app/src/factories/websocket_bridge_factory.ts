/** Builds a bridge bound to the request's manager; namespace import of the legacy factory module. */
import * as factoryModule from '../websocket_core/websocket_manager_factory.js';
import { AgentWebSocketBridge } from '../services/agent_websocket_bridge.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';

export function createBridgeForUser(ctx: UserExecutionContext): AgentWebSocketBridge {
  const bridge = new AgentWebSocketBridge(ctx);
  bridge.websocketManager = factoryModule.WebSocketManagerFactory.create(ctx);
  return bridge;
}

/** No context here: the bridge falls back to the shared manager as last bound. */
export function createAnonymousBridge(): AgentWebSocketBridge {
  const bridge = new AgentWebSocketBridge();
  bridge.websocketManager = factoryModule.getWebSocketManager();
  return bridge;
}
