import type { Socket } from '../ws/socket';

/** Sockets and app state. */
export class Service {
  private log: Entry[] = [];
  private sockets = new Map<number, Socket>();

  record(e: Entry): void {
    this.log.push(e);
  }
}

export interface Entry {
  event: string;
}
