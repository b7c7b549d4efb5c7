import { LegacyProtocolImpl } from '../websocket_core/unified_manager.js';
import { LegacyProtocolImpl as Typed } from '../websocket_core/unified_manager.js';

export const impl = new LegacyProtocolImpl();
export let typed: Typed | undefined;
