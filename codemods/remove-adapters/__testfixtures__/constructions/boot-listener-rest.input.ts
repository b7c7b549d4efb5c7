import { WsServer, log } from '../ws.js';
import { BootManager } from '../legacy/boot.js';

export function listen(): void {
  const wss = new WsServer({ path: '/rest' });
  const manager = new BootManager(wss);
  // a listener doing more than the wiring keeps the rest
  wss.on('connection', function (ws) {
    log('connected');
    manager.attach();
    void ws;
  });
  void manager;
}
