// already the canonical module (rewrite-imports), still called without a context: threaded, the load stays where it is
export function canonicalLazily(): unknown {
  const { createWebSocketManager } = require('ssot-migrate/canonical');
  return createWebSocketManager();
}

// the canonical factory through require(), called without a context at module top level: no parameter can bring one
export const atLoad = require('ssot-migrate/canonical').createWebSocketManager();
