/**
 * The package index (port of websocket_core/__init__.py): a re-export hub that exposes
 * the manager under both names and every helper, so callers import "the package".
 */
export * from './unified_manager.js';
export { UnifiedWebSocketManager as WebSocketManager } from './unified_manager.js';
export type { WebSocketManagerProtocol } from './protocols.js';
export { createWebSocketManager, WebSocketManagerFactory, getWebSocketManagerFactory } from './websocket_manager_factory.js';

export const CRITICAL_EVENTS = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'] as const;
