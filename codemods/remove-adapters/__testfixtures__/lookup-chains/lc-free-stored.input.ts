import { getConnection, type Sock } from '../legacy/connections';

/** Uses no chain covers take the lookup's plain template (the socket the hub registered). */
export function later(userId: string, data: string): void {
  const socket = getConnection(userId);
  socket?.send(data);
}

export function find(userId: string): Sock | undefined {
  return getConnection(userId);
}

export function pass(userId: string, use: (s: Sock | undefined) => void): void {
  use(getConnection(userId));
}
