import type { Sock } from '../legacy/connections';
import { Manager } from '../legacy/manager';
import { hubOperations } from 'ssot-migrate/canonical';

// The app's own subclass of a legacy class: a lookup it inherits, stored in a local, is the legacy
// member's (the checker resolves it there), so its sends take the chain template.
// TODO(ssot)[Manager]: `Manager` reads the legacy class Manager itself; classes[0].statics rewrites its statics' calls and reads, not the class: replace it by hand (e.g. the canonical code the statics became)
export class Desk extends Manager {
  push(id: string, frame: object): void {
    if (hubOperations().hub.getConnection(id)?.socket) hubOperations().sendToUser(id, JSON.parse(JSON.stringify(frame)));
  }
}

// A subclass of the subclass, through a value of it rather than `this`.
export class FrontDesk extends Desk {}

export function relay(desk: FrontDesk, id: string, data: string): void {
  const hub = hubOperations();
  (hub.hub.getConnection(id)?.socket == null ? undefined : hub.sendToUser(id, JSON.parse(data)));
}

// A subclass overriding the lookup: `this.getSocket` is its own method, not the legacy one: left as it is.
// TODO(ssot)[Manager]: `Manager` reads the legacy class Manager itself; classes[0].statics rewrites its statics' calls and reads, not the class: replace it by hand (e.g. the canonical code the statics became)
export class Lower extends Manager {
  private readonly lowered = new Map<string, Sock>();

  override getSocket(id: string): Sock | undefined {
    return this.lowered.get(id.toLowerCase());
  }

  push(id: string, data: string): void {
    const socket = this.getSocket(id);
    if (socket) socket.send(data);
  }
}
