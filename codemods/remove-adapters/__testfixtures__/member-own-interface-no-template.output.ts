import type { CounterApi } from '../legacy/hub.js';
import { hubOperations } from 'ssot-migrate/canonical';

export function describe(manager: CounterApi): string {
  // TODO(ssot)[CounterApi.label]: CounterApi.label has no template in classes[].members; map it in ssot.config.json or rewrite it by hand
  return `${manager.label()}: ${hubOperations().connectionCount()}`;
}
