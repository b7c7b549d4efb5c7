import type { Socket } from './socket';
import { hubOperations } from 'ssot-migrate/canonical';

export class Gateway {
  private log: string[] = [];

  connect(id: number, socket: Socket, friends: number[]): void {
    const hub = hubOperations();
    (hub.disconnect(String(id)), hub.connect(String(id), socket, { connectionId: String(id) }));
    this.log.push(`connect ${id}`);
    for (const friend of friends) {
      if (hubOperations().isOnline(String(friend))) {
        hubOperations().sendToUser(String(friend), JSON.parse(JSON.stringify({ type: 'online', id })));
      }
    }
  }

  close(id: number): void {
    const hub = hubOperations();
    hub.disconnect(String(id));
    hub.sendToUser(String(id), { ...{ type: 'bye' } });
  }
}
