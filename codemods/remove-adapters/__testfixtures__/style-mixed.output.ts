// Two of three imports in double quotes without semicolons (not the first one): what is written
// into the file follows them.
import type { HubEvent } from '../legacy/hub.js';
import type { Hub } from "../legacy/hub.js"
import { hubOperations, type ScopedWebSocketManager } from "ssot-migrate/canonical"

export async function relay(adapter: ScopedWebSocketManager, hub: Hub, event: HubEvent): Promise<boolean> {
  await adapter.emit("agent_completed", { status: "completed", finalResponse: event.type });
  return ({ ok: hubOperations().health().status === "ok" }).ok;
}
