/** A public module: what it exports instead of a legacy class is the manifest's decision. */
export { LegacyProtocolImpl, WebSocketManagerMode } from '../websocket_core/unified_manager.js';
export const version = 1;
