// barrel kept for old callers
export * from '../websocket_core/unified_manager.js';
export const version = 1;
