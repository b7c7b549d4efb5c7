import { manager, Manager } from '../legacy/manager';

/** A class's lookup: chains on what its method returns, the plain template for the rest. */
export function tell(id: string, frame: object): void {
  manager.getSocket(id)?.send(JSON.stringify(frame));
  manager.getSocket(id)!.send(JSON.stringify(frame));
}

export function held(id: string): boolean {
  const socket = manager.getSocket(id);
  return socket !== undefined;
}

export function viaLookup(id: string, data: string): void {
  manager.lookup(id)!.send(data);
  manager.lookup(id)?.close();
  manager.lookup(id)?.send(data);
}

export function viaStatic(id: string, data: string): void {
  Manager.socketOf(id)?.send(data);
  Manager.socketOf(id)!.send(data);
}

declare function current(): Manager;

/** A receiver that may act runs once, as the lookup's call did: ahead of the template, or (behind a `?.` test) marked. */
export function viaCall(id: string, data: string): void {
  current().getSocket(id)!.send(data);
  current().getSocket(id)?.send(data);
}
