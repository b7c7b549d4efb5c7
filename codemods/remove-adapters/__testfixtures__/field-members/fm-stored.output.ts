import { registry } from '../legacy/registry';

// What a field's lookup returns stored in a local first, then sent to: `links` has "links.get.send".
export function greet(id: string): void {
  // TODO(ssot)[Registry.links]: `link` stores Registry.links.get(…), whose sends "links.get.send" would cover, but `link` is tested, and Registry.links.get has no plain template to test at each use: add "links.get" (the value a test reads at each use, e.g. whether the hub holds the user), call `registry.links.get(…)` in each chain instead of storing it, or rewrite it by hand — until then no use of links is rewritten (one state, not two)
  const link = registry.links.get(id);
  if (link) link.send(JSON.stringify({ type: 'hello' }));
}
