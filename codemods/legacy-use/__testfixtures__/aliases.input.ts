// The health page broadcasts through BroadcastManager, one per user: discover recorded it as an
// alias of a mapped name, so the sentence stays with the canonical name.
export const health = 1;

/** Emits through UserWebSocketEmitter, an alias of the adapter no one name replaces. */
export const emitter = 2;

/** Aliased imports, as in `import { UnifiedWebSocketManager as BroadcastManager }`: about the aliasing, so it goes. */
export const aliased = 3;
