// Saved by an editor that writes a UTF-8 BOM; the BOM must survive a rewrite.
﻿import { UnifiedWebSocketManager } from '../websocket_core/websocket_manager.js';
﻿
﻿export function countConnections(manager: UnifiedWebSocketManager): number {
﻿  return manager.getConnectionCount();
﻿}
