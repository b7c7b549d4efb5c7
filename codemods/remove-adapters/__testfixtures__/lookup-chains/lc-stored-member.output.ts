import { manager, Manager } from '../legacy/manager';
import { hubOperations } from 'ssot-migrate/canonical';

export class Room {
  constructor(private readonly m: Manager) {}

  tell(id: string, data: string): void {
    const hub = hubOperations();
    (hub.hub.getConnection(id)?.socket == null ? undefined : hub.sendToUser(id, JSON.parse(data)));
  }
}

export function viaInstance(id: string, data: string): void {
  if (hubOperations().hub.getConnection(id)?.socket !== undefined) hubOperations().sendToUser(id, JSON.parse(data));
}

export function viaStatic(id: string, data: string): void {
  if (hubOperations().hub.getConnection(id)?.socket) {
    hubOperations().sendToUser(id, JSON.parse(data));
  }
}

/** A receiver that is not readonly may hold another manager by the time of a use: kept, marked. */
export class Swappable {
  m: Manager = manager;

  tell(id: string, data: string): void {
    const s = hubOperations().hub.getConnection(id)?.socket;
    // TODO(ssot)[Manager.getSocket]: `s.send` goes to the socket Manager.getSocket(…) returned, stored in `s`, not through the hub as "getSocket.send" would: `this.m` may change or act between the lookup and a use (the lookup would run again at each use of `s`): bind it to a const first; call the lookup in the chain (`this.m.getSocket(…).send`) or rewrite it by hand
    s?.send(data);
  }
}
