/** Health endpoint: aliased imports, as in `import { UnifiedWebSocketManager as Manager }`. */
export const health = 1;

// getWebSocketManager() returns a WebSocketManager; {@link WebSocketManager} for details.
// WebSocketManagerMode is canonical, and so is WebSocketManagerModeExtra; CRITICAL_EVENTS -> CRITICAL_EVENT_TYPES.
export const y = 'WebSocketManager is a string, never a comment'; // WebSocketManager at the end of a line
const z = `template // WebSocketManagerAdapter in a template, not a comment`;
void z;
