import { getAll } from '../legacy/connections';

/** The caller iterates what the lookup returns: the chain hands its own callback a send over the hub, per user. */
export function broadcast(frame: object): void {
  getAll().forEach((ws) => {
    ws.send(JSON.stringify(frame));
  });
}

export function count(): number {
  // no chain covers .length, and getAll has no plain template: marked
  return getAll().length;
}

export function tellEach(id: string): void {
  // the callback reads an outer `id`, which the chain's template binds around it: marked, not captured
  getAll().forEach((ws) => ws.send(id));
}

export function ping(): void {
  // the callback's own parameter may share a name the template binds: it is its own
  getAll().forEach((id) => id.send('ping'));
}
