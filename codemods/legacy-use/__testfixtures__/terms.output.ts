/** Builds a bridge bound to the request's manager. */
export const bridge = 1;

/**
 * Chat message handler.
 */
export const handler = 2;

// A compat modules list and an illegacy factory are other words.
export const other = 3;
