// A facade as the strangle codemod generates it for src/websocket_core/unified_manager.ts (WSM001):
// the legacy name is a real declaration over the frozen class, routed by the shim, with the
// canonical-mode table strangle generates from examples/legacy-app/ssot.config.json classes[].
import * as frozen from '../../examples/legacy-app/src/websocket_core/unified_manager.js';
import { canonicalTable, defineLegacyManagerAlias } from '../../shim/index.js';
// The table is the shim tests' fixture: one copy of what strangle generates, not two.
import { canonicalUnifiedWebSocketManager } from '../../shim/test/__fixtures__/facades/unified_manager_table.js';

/** @deprecated WSM001: use createWebSocketManager(ctx) from 'ssot-migrate/canonical'. */
export const UnifiedWebSocketManager = defineLegacyManagerAlias(
  { id: 'WSM001', symbol: 'UnifiedWebSocketManager', replacement: "createWebSocketManager(ctx) from 'ssot-migrate/canonical'", facade: import.meta.url },
  frozen.UnifiedWebSocketManager,
  { canonical: canonicalUnifiedWebSocketManager },
);
/** @deprecated WSM001 */
export type UnifiedWebSocketManager = frozen.UnifiedWebSocketManager;
/**
 * The same alias with the table's `registration` members, as strangle writes it from the manifest
 * (the templates calling `$user(x).addConnection`/`removeConnection` or `$hub.disconnectAll`): its
 * managers run those on both sides and hand each side its stand-ins (shim/proxies/dual.ts).
 */
export const UnifiedWebSocketManagerWithRegistration = defineLegacyManagerAlias(
  { id: 'WSM001', symbol: 'UnifiedWebSocketManager', replacement: "createWebSocketManager(ctx) from 'ssot-migrate/canonical'", facade: import.meta.url },
  frozen.UnifiedWebSocketManager,
  {
    canonical: canonicalTable<frozen.UnifiedWebSocketManager>({
      ...canonicalUnifiedWebSocketManager,
      registration: ['addConnection', 'removeConnection', 'connectUser', 'disconnectUser', 'shutdown'],
    }),
  },
);
/** The frozen enum's values, for the constructor's mode argument. */
export const WebSocketManagerMode = frozen.WebSocketManagerMode;
