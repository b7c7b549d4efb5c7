import type { Hub } from '../legacy/hub.js';

export function publisher(hub: Hub): (userId: string, event: { type: string }) => number {
  const f = hub.publish;
  return f;
}
