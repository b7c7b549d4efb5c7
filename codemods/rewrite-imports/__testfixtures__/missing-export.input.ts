import { getLegacyStats } from '../websocket_core/unified_manager.js';

export const s = getLegacyStats();
