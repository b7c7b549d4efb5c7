import { manager, Manager } from '../legacy/manager';

export class Room {
  constructor(private readonly m: Manager) {}

  tell(id: string, data: string): void {
    const s = this.m.getSocket(id);
    s?.send(data);
  }
}

export function viaInstance(id: string, data: string): void {
  const s = manager.getSocket(id);
  if (s !== undefined) s.send(data);
}

export function viaStatic(id: string, data: string): void {
  const s = Manager.socketOf(id);
  if (s) {
    s.send(data);
  }
}

/** A receiver that is not readonly may hold another manager by the time of a use: kept, marked. */
export class Swappable {
  m: Manager = manager;

  tell(id: string, data: string): void {
    const s = this.m.getSocket(id);
    s?.send(data);
  }
}
