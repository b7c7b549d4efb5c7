/** The app's public surface: re-exports through the package index and the bridge. */
export { WebSocketManager, WebSocketManagerMode, CRITICAL_EVENTS } from './websocket_core/index.js';
export { createAgentWebSocketBridge, AgentWebSocketBridge } from './services/agent_websocket_bridge.js';
export { runAgent, type AgentRequest, type AgentResult } from './agents/supervisor/execution_engine.js';
export { getUserExecutionContext } from './dependencies.js';
export type { UserExecutionContext } from './services/user_execution_context.js';
