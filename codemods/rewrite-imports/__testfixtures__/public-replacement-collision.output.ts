export { LegacyProtocolImpl } from '../websocket_core/unified_manager.js';
export function createWebSocketManager(): undefined {
  return undefined;
}
