/**
 * Compat module (port of websocket_core/manager.py): re-exports under the old path and
 * warns once at import time. Note what it does NOT export: UnifiedWebSocketManager, which
 * is why importers of `manager.UnifiedWebSocketManager` dangle (16 sites in the original).
 */
process.emitWarning(
  "Importing from 'src/websocket_core/manager' is deprecated. Use 'src/websocket_core/websocket_manager' instead. " +
    'This import path will be removed in Phase 2 of SSOT consolidation.',
  { type: 'DeprecationWarning', code: 'ISSUE_1182' },
);

export {
  UnifiedWebSocketManager as WebSocketManager,
  UnifiedWebSocketManager as WebSocketManagerCanonical,
  getWebSocketManager,
} from './unified_manager.js';
export type { WebSocketConnection } from './unified_manager.js';
export type { WebSocketManagerProtocol } from './protocols.js';
