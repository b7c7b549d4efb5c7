/** The file's own documentation: {@link UnifiedWebSocketManager} stays as written. */
/** @deprecated the import below: see {@link UnifiedWebSocketManager} */
import { WebSocketManager, WebSocketManagerMode } from 'ssot-migrate/canonical';

/**
 * @param {UnifiedWebSocketManager} m the manager ({@linkcode UnifiedWebSocketManager#send})
 * @returns {WebSocketManagerMode} its mode
 * @see UnifiedWebSocketManager
 */
export function modeOf(m: WebSocketManager): WebSocketManagerMode {
  return m ? WebSocketManagerMode.UNIFIED : WebSocketManagerMode.ISOLATED;
}

/** @param {UnifiedWebSocketManager m a tag JSDoc cannot parse: the file still does */
export const make = (): WebSocketManager => new WebSocketManager();

/** A parameter of the same name is another binding (the checker decides): {@link UnifiedWebSocketManager} */
export function shadow(UnifiedWebSocketManager: number): number {
  return UnifiedWebSocketManager + 1;
}
