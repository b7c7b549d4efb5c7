// What the strangle codemod generates for src/websocket_core/unified_manager.ts (WSM001):
// the frozen body is imported, every legacy name is a real declaration routed by the shim.
import * as frozen from '../../../../examples/legacy-app/src/websocket_core/unified_manager.js';
import { WebSocketManagerMode as CanonicalMode } from '../../../../canonical/index.js';
import { defineLegacyEnum, defineLegacyManagerAlias, defineLegacyManagerFunction } from '../../../index.js';
import { canonicalUnifiedWebSocketManager } from './unified_manager_table.js';

const replacement = "createWebSocketManager(ctx) from 'ssot-migrate/canonical'";

/** @deprecated WSM001: use createWebSocketManager(ctx) from 'ssot-migrate/canonical'. */
export const UnifiedWebSocketManager = defineLegacyManagerAlias(
  { id: 'WSM001', symbol: 'UnifiedWebSocketManager', replacement, facade: import.meta.url },
  frozen.UnifiedWebSocketManager,
  { canonical: canonicalUnifiedWebSocketManager },
);
/** @deprecated WSM001: use ScopedWebSocketManager from 'ssot-migrate/canonical'. */
export type UnifiedWebSocketManager = frozen.UnifiedWebSocketManager;

/** @deprecated WSM001: use WebSocketManagerMode from 'ssot-migrate/canonical'. */
export const WebSocketManagerMode = defineLegacyEnum(
  { id: 'WSM001', symbol: 'WebSocketManagerMode', replacement, facade: import.meta.url },
  frozen.WebSocketManagerMode,
  CanonicalMode,
);
/** @deprecated WSM001 */
export type WebSocketManagerMode = frozen.WebSocketManagerMode;

/** @deprecated WSM001: use createWebSocketManager(ctx). */
export const getWebSocketManager = defineLegacyManagerFunction(
  { id: 'WSM001', symbol: 'getWebSocketManager', replacement, facade: import.meta.url },
  frozen.getWebSocketManager,
  { canonical: canonicalUnifiedWebSocketManager, frozenManager: frozen.UnifiedWebSocketManager },
);

export type { SocketLike, WebSocketConnection, ManagerUserContext, LegacyMessage } from '../../../../examples/legacy-app/src/websocket_core/unified_manager.js';
export default UnifiedWebSocketManager;
