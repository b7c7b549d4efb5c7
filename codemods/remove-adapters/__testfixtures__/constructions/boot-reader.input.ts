import type { BootManager } from '../legacy/boot.js';

export function announce(text: string): void {
  const fromGlobal = (globalThis as any).bootManager as BootManager;
  if (fromGlobal) {
    fromGlobal.notify(text);
  }
  const viaAssertion = <BootManager>(globalThis as any)['inlineManager'];
  viaAssertion?.notify(text);
  // a union with undefined / null claims the same class: retyped like the plain cast
  const maybe = (globalThis as any).bootManager as BootManager | undefined;
  const orNull = <(null | BootManager)>(globalThis as any).bootManager;
  if (maybe && orNull) maybe.notify(text);
}
