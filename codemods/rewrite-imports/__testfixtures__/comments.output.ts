/**
 * File header stays.
 */

// the manager (comment kept)
import { WebSocketManager, WebSocketManagerProtocol } from 'ssot-migrate/canonical'; // trailing note

/* block before second import */


import { join } from 'node:path';

export const parts = [WebSocketManager, join] as const;
export type P = WebSocketManagerProtocol;
