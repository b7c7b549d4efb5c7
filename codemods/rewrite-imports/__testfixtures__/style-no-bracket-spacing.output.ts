import {readFileSync} from 'node:fs';
import {NoSuchThing} from '../websocket_core/unified_manager.js';
import {WebSocketManager} from 'ssot-migrate/canonical';

export const all = [WebSocketManager, NoSuchThing, readFileSync];
