import type { Notifier } from '../legacy/contract.js';

// a receiver with side effects is evaluated once, as before: $m is used once
export const viaFactory = (make: () => Notifier): number => make().count!();
export const once = (make: () => Notifier) => [make()][0]!.send(1, 'x');
