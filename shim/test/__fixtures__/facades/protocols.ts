// Generated-facade shape for src/websocket_core/protocols.ts (WSM004 type, WSM009 adapter).
import * as frozen from '../../../../examples/legacy-app/src/websocket_core/protocols.js';
import { defineLegacyAdapter } from '../../../index.js';

/** @deprecated WSM009: use the manager directly. */
export const LegacyWebSocketManagerAdapter = defineLegacyAdapter(
  { id: 'WSM009', symbol: 'LegacyWebSocketManagerAdapter', replacement: 'the canonical manager directly', facade: import.meta.url },
  frozen.LegacyWebSocketManagerAdapter,
);
/** @deprecated WSM009 */
export type LegacyWebSocketManagerAdapter = frozen.LegacyWebSocketManagerAdapter;

/** @deprecated WSM004: use WebSocketManagerProtocol from 'ssot-migrate/canonical'. */
export type WebSocketManagerProtocol = frozen.WebSocketManagerProtocol;
export { PROTOCOL_METHODS, WebSocketManagerProtocolValidator, adaptManagerForLegacyCode } from '../../../../examples/legacy-app/src/websocket_core/protocols.js';
