import type { OldManager } from '../legacy/old.js';

export function shout(text: string): void {
  const old = (globalThis as any).oldManager as OldManager;
  if (old) old.send(text);
  const maybeOld = (globalThis as any).oldManager as OldManager | undefined;
  maybeOld?.send(text);
  // an untyped value nothing is known to store a legacy instance in: an ordinary cast
  const other = (globalThis as any).somethingElse as OldManager;
  void other;
}
