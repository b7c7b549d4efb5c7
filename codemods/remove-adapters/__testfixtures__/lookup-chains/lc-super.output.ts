import { Manager } from '../legacy/manager';
import { hubOperations } from 'ssot-migrate/canonical';

// A subclass reaching the legacy members through `super` (`super` alone does not parse): the
// receiver is dropped as `this` is, so each use takes its template as through `this`.
// TODO(ssot)[Manager]: `Manager` reads the legacy class Manager itself; classes[0].statics rewrites its statics' calls and reads, not the class: replace it by hand (e.g. the canonical code the statics became)
export class Desk extends Manager {
  push(id: string, data: string): void {
    const hub = hubOperations();
    (hub.hub.getConnection(id)?.socket == null ? undefined : hub.sendToUser(id, JSON.parse(data)));
    hub.sendToUser(id, JSON.parse(data));
  }

  held(id: string): boolean {
    return hubOperations().hub.getConnection(id)?.socket !== undefined;
  }

  stored(id: string, data: string): void {
    if (hubOperations().hub.getConnection(id)?.socket) hubOperations().sendToUser(id, JSON.parse(data));
  }

  static relay(id: string, data: string): void {
    hubOperations().sendToUser(id, JSON.parse(data));
  }
}
