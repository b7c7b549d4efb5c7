import { WsServer, makeServer } from '../ws.js';
import type { BootManager as Typed } from '../legacy/boot.js';
import { BootManager } from '../legacy/boot.js';

// two constructions of one class stored in two places: the entry rewrites one, the other stays
// legacy (a spread argument: the replacement needs each one), so only the first place's casts take the entry's type
export function startBoth(): void {
  const wss = new WsServer({ path: '/a' });
  (globalThis as any).primaryManager = new BootManager(wss);
  (globalThis as any).fallbackManager = new BootManager(...([makeServer()] as const));
}

export function readBoth(): void {
  const primary = (globalThis as any).primaryManager as Typed | undefined;
  const fallback = (globalThis as any).fallbackManager as Typed | undefined;
  void primary;
  void fallback;
}
