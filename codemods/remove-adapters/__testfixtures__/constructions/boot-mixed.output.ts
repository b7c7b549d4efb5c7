import { WsServer, makeServer } from '../ws.js';
import type { BootManager as Typed } from '../legacy/boot.js';
import { BootManager } from '../legacy/boot.js';
import { attachCanonical, type CanonicalServer } from 'ssot-migrate/canonical';

// two constructions of one class stored in two places: the entry rewrites one, the other stays
// legacy (a spread argument: the replacement needs each one), so only the first place's casts take the entry's type
export function startBoth(): void {
  const wss = new WsServer({ path: '/a' });
  (globalThis as any).primaryManager = attachCanonical(wss, { path: wss.options.path });
  // TODO(ssot)[BootManager]: new BootManager(…) is called with a spread argument; constructions[0].replacement needs each argument
  (globalThis as any).fallbackManager = new BootManager(...([makeServer()] as const));
}

export function readBoth(): void {
  const primary = (globalThis as any).primaryManager as CanonicalServer | undefined;
  // TODO(ssot): `(globalThis as any).fallbackManager` holds the legacy BootManager constructed at src/app/boot-mixed.ts:10, which its constructions[] entry cannot rewrite (see the TODO(ssot) there): the cast keeps the legacy type
  const fallback = (globalThis as any).fallbackManager as Typed | undefined;
  void primary;
  void fallback;
}
