import { LegacyProtocolImpl } from '../websocket_core/unified_manager.js';
import type { WebSocketManagerProtocol as Typed } from 'ssot-migrate/canonical';

export const impl = new LegacyProtocolImpl();
export let typed: Typed | undefined;
