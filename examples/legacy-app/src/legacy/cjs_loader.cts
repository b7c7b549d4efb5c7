// CommonJS island: plain require() of the legacy factory, the way old scripts loaded it.
/* eslint-disable @typescript-eslint/no-require-imports */
const factory = require('../websocket_core/websocket_manager_factory');

export function sharedManagerCount(): number {
  return factory.getWebSocketManagerFactory().getUserManagerCount('any');
}

export function loadManagerLazily(): unknown {
  // require() inside a function: 45% of the original import sites were function-level.
  const { getWebSocketManager } = require('../websocket_core/unified_manager');
  return getWebSocketManager();
}
