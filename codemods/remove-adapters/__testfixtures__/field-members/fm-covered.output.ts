import { type Peer } from '../legacy/registry';
import { hubOperations } from 'ssot-migrate/canonical';

/** Each use of the field goes through a member of it that has a template: one hub call each. */
export function join(id: string, socket: Peer): void {
  const hub = hubOperations();
  (hub.disconnect(id), hub.connect(id, socket, { connectionId: id }));
}

export function tell(id: string, frame: object): boolean {
  if (hubOperations().isOnline(id)) {
    hubOperations().sendToUser(id, JSON.parse(JSON.stringify(frame)));
    return true;
  }
  return false;
}

export function leave(id: string): number {
  const hub = hubOperations();
  hub.disconnect(id);
  return hub.listConnectedUsers().length;
}
