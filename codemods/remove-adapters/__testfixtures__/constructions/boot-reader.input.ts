import type { BootManager } from '../legacy/boot.js';

export function announce(text: string): void {
  const fromGlobal = (globalThis as any).bootManager as BootManager;
  if (fromGlobal) {
    fromGlobal.notify(text);
  }
  const viaAssertion = <BootManager>(globalThis as any)['inlineManager'];
  viaAssertion?.notify(text);
}
