// A legacy hub whose members the manifest maps one by one (classes[]).
export interface Sock {
  send(data: string): void;
}

export class Hub {
  mode = 'live';
  private readonly sockets = new Map<string, Sock>();

  attach(userId: string, socket: Sock): string {
    this.sockets.set(userId, socket);
    return userId;
  }

  publish(userId: string, event: { type: string }): number {
    this.sockets.get(userId)?.send(JSON.stringify(event));
    return this.sockets.has(userId) ? 1 : 0;
  }

  ping(userId: string): void {
    this.publish(userId, { type: 'ping' });
  }

  get label(): string {
    return 'hub';
  }

  stats(): number {
    return this.sockets.size;
  }

  unusedThing(): void {}

  private secret(): void {}
}

export function getHub(): Hub {
  return new Hub();
}
