import { registry } from '../legacy/registry';

// What a field's lookup returns stored in a local first, then sent to: `links` has "links.get.send".
export function greet(id: string): void {
  const link = registry.links.get(id);
  if (link) link.send(JSON.stringify({ type: 'hello' }));
}
