import type { WebSocketManagerAdapter } from "../legacy/agent_registry.js"
import type { Hub } from "../legacy/hub.js"

/** Standard style: the new import and the templates' own literals take double quotes and no semicolons. */
export async function finish(adapter: WebSocketManagerAdapter, result: string): Promise<void> {
  await adapter.notifyAgentStarted("writer")
  await adapter.notifyAgentCompleted(result)
}

export function healthy(hub: Hub): string {
  return hub.health().ok ? hub.mode : "down"
}
