// The health page broadcasts through ScopedWebSocketManager, one per user: discover recorded it as an
// alias of a mapped name, so the sentence stays with the canonical name.
export const health = 1;

export const emitter = 2;

export const aliased = 3;
