import { WebSocketManagerProtocol, LegacyOnlyThing as LegacyOnlyThing } from '../websocket_core/protocols.js';

export const thing: WebSocketManagerProtocol = new LegacyOnlyThing() as unknown as WebSocketManagerProtocol;
