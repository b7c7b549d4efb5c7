// Star re-export of the implementation module, so "shared" code never names websocket_core.
export * from '../websocket_core/unified_manager.js';
