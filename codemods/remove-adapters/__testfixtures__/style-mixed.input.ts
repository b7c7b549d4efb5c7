// Two of three imports in double quotes without semicolons (not the first one): what is written
// into the file follows them.
import type { HubEvent } from '../legacy/hub.js';
import type { WebSocketManagerAdapter } from "../legacy/agent_registry.js"
import type { Hub } from "../legacy/hub.js"

export async function relay(adapter: WebSocketManagerAdapter, hub: Hub, event: HubEvent): Promise<boolean> {
  await adapter.notifyAgentCompleted(event.type);
  return hub.health().ok;
}
