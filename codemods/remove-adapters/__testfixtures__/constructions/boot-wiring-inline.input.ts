import { WsServer, log } from '../ws.js';
import { BootManager as Manager } from '../legacy/boot.js';

export function boot(): void {
  const wss = new WsServer({ path: '/rt' });
  const m = new Manager(wss);
  (globalThis as any)['inlineManager'] = m;
  // an expression-bodied listener: its registration goes with it
  wss.on('connection', (ws, request) => m.handleConnection(ws, request));
  // a listener doing more than the wiring keeps the rest
  wss.on('connection', function (ws) {
    log('connected');
    m.attach();
  });
  // a wiring call inside an expression is left to a person
  const attached = [m.attach()];
  void attached;
}
