/**
 * File header stays.
 */

// the manager (comment kept)
import { UnifiedWebSocketManager } from '../websocket_core/unified_manager.js'; // trailing note

/* block before second import */
import { WebSocketManagerProtocol } from '../websocket_core/protocols.js';


import { join } from 'node:path';

export const parts = [UnifiedWebSocketManager, join] as const;
export type P = WebSocketManagerProtocol;
