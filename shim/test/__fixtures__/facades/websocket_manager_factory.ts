// Generated-facade shape for src/websocket_core/websocket_manager_factory.ts (WSM003 module, WSM010 factory calls).
import * as frozen from '../../../../examples/legacy-app/src/websocket_core/websocket_manager_factory.js';
import { UnifiedWebSocketManager as FrozenManager } from '../../../../examples/legacy-app/src/websocket_core/unified_manager.js';
import { defineLegacyFactoryClass, defineLegacyFunction, defineLegacyManagerFunction } from '../../../index.js';
import { canonicalUnifiedWebSocketManager } from './unified_manager_table.js';

const replacement = 'createWebSocketManager(ctx) from ssot-migrate/canonical (one manager per UserExecutionContext)';
const facade = import.meta.url;

/** @deprecated WSM010: use createWebSocketManager(ctx) from 'ssot-migrate/canonical'. */
export const WebSocketManagerFactory = defineLegacyFactoryClass(
  { id: 'WSM010', symbol: 'WebSocketManagerFactory', replacement, facade },
  frozen.WebSocketManagerFactory,
  {
    statics: { getInstance: { contextArg: 0 }, create: { contextArg: 0 } },
    methods: { createManager: { contextArg: 0 } },
    factoryStatics: ['getFactory'],
    canonical: canonicalUnifiedWebSocketManager,
    frozenManager: FrozenManager,
  },
);
/** @deprecated WSM010 */
export type WebSocketManagerFactory = frozen.WebSocketManagerFactory;

/** @deprecated WSM010: use createWebSocketManager(ctx). */
export const createWebSocketManager = defineLegacyManagerFunction(
  { id: 'WSM010', symbol: 'createWebSocketManager', replacement, facade },
  frozen.createWebSocketManager,
  { canonical: canonicalUnifiedWebSocketManager, frozenManager: FrozenManager },
);

/** @deprecated WSM010: use createWebSocketManager(ctx). */
export const getWebSocketManager = defineLegacyManagerFunction(
  { id: 'WSM010', symbol: 'getWebSocketManager', replacement, facade },
  frozen.getWebSocketManager,
  { canonical: canonicalUnifiedWebSocketManager, frozenManager: FrozenManager },
);

/** @deprecated WSM003: use createWebSocketManager(ctx). */
export const getWebSocketManagerFactory = defineLegacyFunction(
  { id: 'WSM003', symbol: 'getWebSocketManagerFactory', replacement, facade },
  () => WebSocketManagerFactory.getFactory(),
);
