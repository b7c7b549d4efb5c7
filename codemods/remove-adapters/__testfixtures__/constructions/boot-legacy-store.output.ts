import { WsServer } from '../ws.js';
import { OldManager } from '../legacy/old.js';

// no constructions[] entry describes OldManager: the global keeps holding a legacy object
export function legacyBoot(): void {
  const wss = new WsServer({ path: '/old' });
  (globalThis as any).oldManager = new OldManager(wss);
}
