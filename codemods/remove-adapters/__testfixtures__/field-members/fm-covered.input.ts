import { registry, type Peer } from '../legacy/registry';

/** Each use of the field goes through a member of it that has a template: one hub call each. */
export function join(id: string, socket: Peer): void {
  registry.peers.set(id, socket);
}

export function tell(id: string, frame: object): boolean {
  if (registry.peers.has(id)) {
    registry.peers.get(id)!.send(JSON.stringify(frame));
    return true;
  }
  return false;
}

export function leave(id: string): number {
  registry.peers.delete(id);
  return registry.peers.size;
}
