import type { Hub } from "../legacy/hub.js"
import { hubOperations, type ScopedWebSocketManager } from "ssot-migrate/canonical"

/** Standard style: the new import and the templates' own literals take double quotes and no semicolons. */
export async function finish(adapter: ScopedWebSocketManager, result: string): Promise<void> {
  await adapter.emit("agent_started", { agentName: "writer" })
  await adapter.emit("agent_completed", { status: "completed", finalResponse: result })
}

export function healthy(hub: Hub): string {
  return ({ ok: hubOperations().health().status === "ok" }).ok ? "live" : "down"
}

declare function describe(step: string): string

// a statement that now opens with `(` after one without a semicolon: a `;` keeps them apart
export function echo(hub: Hub, userId: string): number {
  const step = describe(userId)
  ;(($2) => hubOperations().sendToUser(userId, { type: "echoed", text: $2, copy: $2 }))(describe(step))
  ;(describe(step), hubOperations().sendToUser(userId, { type: "x" }))
  return 0
}
