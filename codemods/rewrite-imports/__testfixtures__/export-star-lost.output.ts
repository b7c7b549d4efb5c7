export * from 'ssot-migrate/canonical';
export type { WebSocketManagerProtocol as ManagerProtocol } from 'ssot-migrate/canonical';
export { LegacyOnlyThing } from '../websocket_core/protocols.js';
