import { hub as sharedHub } from '../legacy/barrel.js';
import * as legacyHub from '../legacy/hub.js';

// reached through an alias, a re-export and a namespace import
export function both(): number {
  sharedHub.broadcast({ type: 'aliased' });
  return legacyHub.sessionHub.count() + [sharedHub, legacyHub.sessionHub].length;
}
