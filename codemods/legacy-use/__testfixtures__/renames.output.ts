/** Health endpoint: aliased imports, as in `import { ScopedWebSocketManager as Manager }`. */
export const health = 1;

// createWebSocketManager() returns a ScopedWebSocketManager; {@link ScopedWebSocketManager} for details.
// WebSocketManagerMode is canonical, and so is WebSocketManagerModeExtra; CRITICAL_EVENT_TYPES -> CRITICAL_EVENT_TYPES.
export const y = 'WebSocketManager is a string, never a comment'; // ScopedWebSocketManager at the end of a line
const z = `template // WebSocketManagerAdapter in a template, not a comment`;
void z;
