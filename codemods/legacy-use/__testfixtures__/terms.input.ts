/** Builds a bridge bound to the request's manager; namespace import of the Legacy
 * Factory module. */
export const bridge = 1;

/**
 * Chat message handler.
 *
 * NOTE: imports the compat module on purpose until ISSUE #1182 lands.
 */
export const handler = 2;

// A compat modules list and an illegacy factory are other words.
export const other = 3;
