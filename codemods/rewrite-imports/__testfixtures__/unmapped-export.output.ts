import { LegacyOnlyThing } from '../websocket_core/protocols.js';
import { WebSocketManagerProtocol } from 'ssot-migrate/canonical';

export const thing: WebSocketManagerProtocol = new LegacyOnlyThing() as unknown as WebSocketManagerProtocol;
