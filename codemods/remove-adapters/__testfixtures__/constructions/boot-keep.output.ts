import { WsServer } from '../ws.js';
import { attachCanonical, hubOperations, type CanonicalServer } from 'ssot-migrate/canonical';

/** Boot: the manager is built on the app's ws server and kept on the global object. */
export function start(): WsServer {
  const wss = new WsServer({ path: '/ws' });

  const manager: CanonicalServer = attachCanonical(wss, { path: wss.options.path });

  // services read it from there
  (globalThis as any).bootManager = manager;

  hubOperations().broadcastAll({ type: 'notice', text: 'up' });
  return wss;
}
