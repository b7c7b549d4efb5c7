import type { CounterApi } from '../legacy/hub.js';

// `$m` named twice (the template names no legacy member: its output is final): a receiver with side
// effects is evaluated once, ahead of the template; a pure one is written twice
export function twice(make: () => CounterApi, api: CounterApi): string {
  return make().summary() + api.summary();
}

// `?.` on a receiver with side effects: the null test reads it, then the template: marked
export function maybe(make: () => CounterApi | undefined): string | undefined {
  return make()?.name();
}

// on a pure receiver the test and the template read the same value
export function maybePure(api: CounterApi | undefined): string | undefined {
  return api?.name();
}
