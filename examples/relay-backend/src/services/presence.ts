/** Who is online — for the admin page and the public API. */
import type { HubHealth } from '../realtime/hub.js';

export interface PresenceSnapshot {
  users: string[];
  connections: number;
  perUser: Record<string, number>;
  health: HubHealth;
}

export async function presenceSnapshot(): Promise<PresenceSnapshot> {
  // Loaded on demand: only the admin page asks, and the registry pulls the whole hub in.
  const { HubRegistry } = await import('../realtime/registry.js');
  const hub = HubRegistry.shared();
  const users = hub.listConnectedUsers().sort();
  const perUser: Record<string, number> = {};
  for (const user of users) perUser[user] = hub.connectionCount(user);
  return { users, connections: hub.connectionCount(), perUser, health: hub.health() };
}
