// Run as a child process: constructs a shimmed legacy class from two sites, three times.
import { UnifiedWebSocketManager as Frozen } from '../../../examples/legacy-app/src/websocket_core/unified_manager.js';
import { defineLegacyManagerAlias } from '../../index.js';

const Alias = defineLegacyManagerAlias({ id: 'WSMT1', symbol: 'UnifiedWebSocketManager', replacement: 'createWebSocketManager(ctx)' }, Frozen);
for (let i = 0; i < 2; i++) new Alias(); // SITE_LOOP
new Alias(); // SITE_SECOND
process.stdout.write('constructed\n');
