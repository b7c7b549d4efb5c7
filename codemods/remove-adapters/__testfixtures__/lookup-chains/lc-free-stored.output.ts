import { type Sock } from '../legacy/connections';
import { hubOperations } from 'ssot-migrate/canonical';

/** Uses no chain covers take the lookup's plain template (the socket the hub registered). */
export function later(userId: string, data: string): void {
  const hub = hubOperations();
  (hub.hub.getConnection(userId)?.socket == null ? undefined : hub.sendToUser(userId, JSON.parse(data)));
}

export function find(userId: string): Sock | undefined {
  return hubOperations().hub.getConnection(userId)?.socket;
}

export function pass(userId: string, use: (s: Sock | undefined) => void): void {
  use(hubOperations().hub.getConnection(userId)?.socket);
}
