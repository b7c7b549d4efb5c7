import type { Sock } from '../legacy/connections';
import { Manager } from '../legacy/manager';

// The app's own subclass of a legacy class: a lookup it inherits, stored in a local, is the legacy
// member's (the checker resolves it there), so its sends take the chain template.
export class Desk extends Manager {
  push(id: string, frame: object): void {
    const socket = this.getSocket(id);
    if (socket) socket.send(JSON.stringify(frame));
  }
}

// A subclass of the subclass, through a value of it rather than `this`.
export class FrontDesk extends Desk {}

export function relay(desk: FrontDesk, id: string, data: string): void {
  const socket = desk.getSocket(id);
  socket?.send(data);
}

// A subclass overriding the lookup: `this.getSocket` is its own method, not the legacy one: left as it is.
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
