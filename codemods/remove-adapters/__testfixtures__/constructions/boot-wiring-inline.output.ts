import { WsServer, log } from '../ws.js';
import { BootManager as Manager } from '../legacy/boot.js';

export function boot(): void {
  const wss = new WsServer({ path: '/rt' });
  const m = new Manager(wss);
  (globalThis as any)['inlineManager'] = m;
  // an expression-bodied listener: its registration goes with it
  // TODO(ssot)[BootManager.handleConnection]: BootManager.handleConnection is served by the frozen legacy code (classes[].legacyMembers); rewrite it by hand before remove-shim
  wss.on('connection', (ws, request) => m.handleConnection(ws, request));
  // a listener doing more than the wiring keeps the rest
  wss.on('connection', function (ws) {
    log('connected');
    // TODO(ssot)[BootManager.attach]: BootManager.attach is served by the frozen legacy code (classes[].legacyMembers); rewrite it by hand before remove-shim
    m.attach();
  });
  // a wiring call inside an expression is left to a person
  // TODO(ssot)[BootManager]: BootManager.attach wires the instance (constructions[0].wiring) but is not a statement of its own: the construction stays legacy until it is removed by hand
  const attached = [m.attach()];
  void attached;
}
