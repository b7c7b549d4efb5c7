import { registry } from '../legacy/registry';

// What a field's lookup returns stored in a local first, then sent to: `links` has "links.get.send".
export function greet(id: string): void {
  // TODO(ssot)[Registry.links]: Registry.links.get has no template in classes[].members (links has "links.set", "links.get.send"); add one, or a template for links as a whole, or rewrite it by hand — until then no use of links is rewritten (one state, not two)
  const link = registry.links.get(id);
  if (link) link.send(JSON.stringify({ type: 'hello' }));
}
