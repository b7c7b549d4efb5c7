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

declare function describe(step: string): string

// a statement that now opens with `(` after one without a semicolon: a `;` keeps them apart
export function echo(hub: Hub, userId: string): number {
  const step = describe(userId)
  hub.echo(userId, describe(step))
  hub.publishNoted(userId, { type: "x" }, describe(step))
  return 0
}
