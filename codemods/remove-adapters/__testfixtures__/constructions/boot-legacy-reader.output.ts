import type { OldManager } from '../legacy/old.js';
import { hubOperations } from 'ssot-migrate/canonical';

export function shout(text: string): void {
  // TODO(ssot): `(globalThis as any).oldManager` holds the legacy OldManager constructed at src/app/boot-legacy-store.ts:7, which no constructions[] entry rewrites: the cast keeps the legacy type (describe that construction in constructions[])
  const old = (globalThis as any).oldManager as OldManager;
  if (old) hubOperations().broadcastAll({ type: 'old', text: text });
  // TODO(ssot): `(globalThis as any).oldManager` holds the legacy OldManager constructed at src/app/boot-legacy-store.ts:7, which no constructions[] entry rewrites: the cast keeps the legacy type (describe that construction in constructions[])
  const maybeOld = (globalThis as any).oldManager as OldManager | undefined;
  (maybeOld == null ? undefined : hubOperations().broadcastAll({ type: 'old', text: text }));
  // an untyped value nothing is known to store a legacy instance in: an ordinary cast
  const other = (globalThis as any).somethingElse as OldManager;
  void other;
}
