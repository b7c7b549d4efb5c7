import {readFileSync} from 'node:fs';
import {UnifiedWebSocketManager, NoSuchThing} from '../websocket_core/unified_manager.js';

export const all = [UnifiedWebSocketManager, NoSuchThing, readFileSync];
