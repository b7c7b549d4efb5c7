import { hubOperations } from 'ssot-migrate/canonical';

/**
 * A `?.` on the field itself, which may be undefined: `"bench.get.send"` crosses it, guarded by
 * the field's whole template (`"bench"`, the value the `?.` tests): the send goes through the hub,
 * and only when the legacy one did.
 */
export function benchNudge(id: string, frame: object): void {
  const hub = hubOperations();
  ((hub.listConnectedUsers().length > 0 ? hubOperations() : undefined) == null ? undefined : hub.sendToUser(id, JSON.parse(JSON.stringify(frame))));
}
