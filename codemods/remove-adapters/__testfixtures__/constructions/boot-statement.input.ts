import { makeServer } from '../ws.js';
import { BootManager } from '../legacy/boot.js';

// a construction for its side effects only
export function bare(): void {
  const wss = makeServer();
  new BootManager(wss);
}
