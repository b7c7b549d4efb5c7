import type { CounterApi } from '../legacy/hub.js';

export function countVia(manager: CounterApi): number {
  return manager.connectionCount();
}

export function countTwice(manager: CounterApi, extra = 0): number {
  return manager.connectionCount() + manager.connectionCount() + extra;
}
