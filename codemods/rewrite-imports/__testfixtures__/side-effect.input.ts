import '../websocket_core/unified_manager.js';

export const x = 1;
