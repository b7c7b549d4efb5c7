import type { Hub } from '../legacy/hub.js';

export function publisher(hub: Hub): (userId: string, event: { type: string }) => number {
  // TODO(ssot)[Hub.publish]: Hub.publish is used as a value (not called); call it, or rewrite it by hand
  const f = hub.publish;
  return f;
}
