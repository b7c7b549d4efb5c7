import type { BootManager } from '../legacy/boot.js';
import { hubOperations, type CanonicalServer } from 'ssot-migrate/canonical';

export function announce(text: string): void {
  const fromGlobal = (globalThis as any).bootManager as CanonicalServer;
  if (fromGlobal) {
    hubOperations().broadcastAll({ type: 'notice', text: text });
  }
  // TODO(ssot): `(globalThis as any)['inlineManager']` holds the legacy BootManager constructed at src/app/boot-wiring-inline.ts:6, which its constructions[] entry cannot rewrite (see the TODO(ssot) there): the cast keeps the legacy type
  const viaAssertion = <BootManager>(globalThis as any)['inlineManager'];
  (viaAssertion == null ? undefined : hubOperations().broadcastAll({ type: 'notice', text: text }));
  // a union with undefined / null claims the same class: retyped like the plain cast
  const maybe = (globalThis as any).bootManager as CanonicalServer | undefined;
  const orNull = <(null | CanonicalServer)>(globalThis as any).bootManager;
  if (maybe && orNull) hubOperations().broadcastAll({ type: 'notice', text: text });
}
