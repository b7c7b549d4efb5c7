import type { CounterApi } from '../legacy/hub.js';

// `$m` named twice (the template names no legacy member: its output is final): a receiver with side
// effects is evaluated once, ahead of the template; a pure one is written twice
export function twice(make: () => CounterApi, api: CounterApi): string {
  return (($m) => JSON.stringify($m) + ':' + String($m))(make()) + (JSON.stringify(api) + ':' + String(api));
}

// `?.` on a receiver with side effects: the null test reads it, then the template: marked
export function maybe(make: () => CounterApi | undefined): string | undefined {
  // TODO(ssot)[CounterApi.name]: CounterApi.name is called optionally on `make()`, which may have side effects and would be evaluated twice (tested, then used by the template); bind it to a const first
  return make()?.name();
}

// on a pure receiver the test and the template read the same value
export function maybePure(api: CounterApi | undefined): string | undefined {
  return (api == null ? undefined : String(api));
}
