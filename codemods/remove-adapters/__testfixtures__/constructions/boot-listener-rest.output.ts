import { WsServer, log } from '../ws.js';
import { attachCanonical } from 'ssot-migrate/canonical';

export function listen(): void {
  const wss = new WsServer({ path: '/rest' });
  const manager = attachCanonical(wss, { path: wss.options.path });
  // a listener doing more than the wiring keeps the rest
  wss.on('connection', function (ws) {
    log('connected');
    void ws;
  });
  void manager;
}
