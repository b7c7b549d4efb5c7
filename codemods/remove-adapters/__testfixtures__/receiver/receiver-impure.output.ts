import type { Notifier } from '../legacy/contract.js';

// a receiver with side effects is evaluated once, as before: $m is used once
export const viaFactory = (make: () => Notifier): number => make().connectionCount();
export const once = (make: () => Notifier) => ([make()][0]!.sendToUser(String(1), { type: 'text', text: 'x' }) > 0);
