import { findSocket } from '../legacy/connections';
import { hubOperations } from 'ssot-migrate/canonical';

/** findSocket has chains only: a covered use is rewritten, the others are marked alone. */
export function tell(userId: string, data: string): void {
  hubOperations().sendToUser(userId, JSON.parse(data));
}

export function maybeTell(userId: string, data: string): void {
  // TODO(ssot)[findSocket]: findSocket(…).send is reached through `?.send`, which runs the rest (and its arguments) only when findSocket(…) is there, and no template gives that value to test: add one for "findSocket" (the chain's template is then guarded by it), or rewrite it by hand
  findSocket(userId)?.send(data);
}

export function later(userId: string): void {
  // TODO(ssot)[findSocket]: findSocket: its result stored, passed on or returned, which no chain template covers (functions[0].templates has "findSocket.send") and findSocket has no plain template; add one (a chain for this use, or findSocket itself, e.g. the socket the hub registered), or rewrite it by hand
  const socket = findSocket(userId);
  socket?.close();
}

export function kick(userId: string): void {
  // TODO(ssot)[findSocket]: findSocket: its result used as `.close`, which no chain template covers (functions[0].templates has "findSocket.send") and findSocket has no plain template; add one (a chain for this use, or findSocket itself, e.g. the socket the hub registered), or rewrite it by hand
  findSocket(userId)!.close();
}
