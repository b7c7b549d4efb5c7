import type { CounterApi } from '../legacy/hub.js';

export function describe(manager: CounterApi): string {
  return `${manager.label()}: ${manager.connectionCount()}`;
}
