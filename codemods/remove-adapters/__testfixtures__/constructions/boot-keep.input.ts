import { WsServer } from '../ws.js';
import { BootManager } from '../legacy/boot.js';

/** Boot: the manager is built on the app's ws server and kept on the global object. */
export function start(): WsServer {
  const wss = new WsServer({ path: '/ws' });

  const manager: BootManager = new BootManager(wss);

  // services read it from there
  (globalThis as any).bootManager = manager;

  wss.on('connection', (ws, request) => {
    manager.handleConnection(ws, request);
  });
  manager.notify('up');
  return wss;
}
