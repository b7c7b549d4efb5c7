import { makeServer } from '../ws.js';
import { attachCanonical } from 'ssot-migrate/canonical';

// a construction for its side effects only
export function bare(): void {
  const wss = makeServer();
  attachCanonical(wss, { path: wss.options.path });
}
