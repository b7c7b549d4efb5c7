import { hubOperations } from 'ssot-migrate/canonical';

/**
 * `"lanes.get.send"` would cross the `?.`, but nothing templates `lanes.get` (the value it tests):
 * that use stops at the field's whole template (`"lanes"`), and `.get(id)?.send(…)` stays on it —
 * the legacy test and the legacy order of evaluation, through the hub. A `!` use takes the chain.
 */
export function laneNudge(id: string, frame: object): void {
  ({ get: (id: string) => (hubOperations().isOnline(id) ? { send: (data: string) => void hubOperations().sendToUser(id, JSON.parse(data)) } : undefined) }).get(id)?.send(JSON.stringify(frame));
}

export function laneSend(id: string, frame: object): void {
  hubOperations().sendToUser(id, JSON.parse(JSON.stringify(frame)));
}
