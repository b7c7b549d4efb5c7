import { hubOperations, type CanonicalServer } from 'ssot-migrate/canonical';

export function announce(text: string): void {
  const fromGlobal = (globalThis as any).bootManager as CanonicalServer;
  if (fromGlobal) {
    hubOperations().broadcastAll({ type: 'notice', text: text });
  }
  const viaAssertion = <CanonicalServer>(globalThis as any)['inlineManager'];
  (viaAssertion == null ? undefined : hubOperations().broadcastAll({ type: 'notice', text: text }));
}
