import type { Socket } from './socket';
import { hubOperations } from 'ssot-migrate/canonical';

/** App state and sockets in one class. */
export class Hub {
  private log: string[] = [];

  constructor(private readonly name: string) {}

  connect(id: number, socket: Socket): void {
    hubOperations().connect(String(id), socket);
    this.record(`connect ${id}`);
    if (hubOperations().isOnline(String(id - 1))) (($1, $2) => hubOperations().sendToUser(String($2), { ...$1 }))({ type: 'hello', text: this.name }, id - 1);
  }

  record(event: string): void {
    this.log.push(event);
  }

  history(): string[] {
    return this.log;
  }
}

export function announce(hub: Hub, text: string): number {
  hubOperations().broadcastAll({ ...{ type: 'announce', text } });
  hub.record('announce');
  return hubOperations().listConnectedUsers().length;
}
