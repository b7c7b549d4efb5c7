import { getAll } from '../legacy/connections';
import { hubOperations } from 'ssot-migrate/canonical';

/** The caller iterates what the lookup returns: the chain hands its own callback a send over the hub, per user. */
export function broadcast(frame: object): void {
  hubOperations().listConnectedUsers().forEach((id) => ((ws) => {
    ws.send(JSON.stringify(frame));
  })({ send: (data: string) => hubOperations().sendToUser(id, JSON.parse(data)) }));
}

export function count(): number {
  // no chain covers .length, and getAll has no plain template: marked
  // TODO(ssot)[getAll]: getAll: its result used as `.length`, which no chain template covers (functions[0].templates has "getAll.forEach") and getAll has no plain template; add one (a chain for this use, or getAll itself, e.g. the socket the hub registered), or rewrite it by hand
  return getAll().length;
}

export function tellEach(id: string): void {
  // the callback reads an outer `id`, which the chain's template binds around it: marked, not captured
  // TODO(ssot)[getAll]: `(ws) => ws.send(id)` reads `id`, which the template of getAll(…).forEach (functions[0].templates) binds around it (its own `id` would be read instead); rename it, or the template's
  getAll().forEach((ws) => ws.send(id));
}

export function ping(): void {
  // the callback's own parameter may share a name the template binds: it is its own
  hubOperations().listConnectedUsers().forEach((id) => ((id) => id.send('ping'))({ send: (data: string) => hubOperations().sendToUser(id, JSON.parse(data)) }));
}
