import type { Notifier } from './canonical.js';
export type { Notifier };

// implements only the duplicate's shape, which the canonical type also requires: compatible
export class ConsoleNotifier implements Notifier {
  notify(event: string): void {
    void event;
  }
}
