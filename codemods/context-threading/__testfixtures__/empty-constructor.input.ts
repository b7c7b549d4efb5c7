import { sharedHub, type Hub } from '../legacy/hub.js';

// the dead parameter was the constructor's only content: the constructor goes
export class Pinger {
  public constructor(private readonly hub: Hub = sharedHub()) {}

  ping(userId: string): boolean {
    return this.hub.isOnline(userId);
  }
}

// its only statement assigned a dead private field: field, statement and constructor go
export class Watcher {
  private readonly hub: Hub;

  constructor() {
    this.hub = sharedHub();
  }

  watch(userId: string): boolean {
    return this.hub.isOnline(userId);
  }
}

// a private constructor restricts who may construct: it stays, empty
export class Singleton {
  private constructor(private readonly hub: Hub = sharedHub()) {}

  static make(): Singleton {
    return new Singleton();
  }

  seen(userId: string): boolean {
    return this.hub.isOnline(userId);
  }
}

// so does a protected one
export class BaseProbe {
  protected constructor(private readonly hub: Hub = sharedHub()) {}

  seen(userId: string): boolean {
    return this.hub.isOnline(userId);
  }
}

// a comment in the body is a person's note: the constructor stays
export class Noted {
  constructor(private readonly hub: Hub = sharedHub()) {
    // wired by the container
  }

  seen(userId: string): boolean {
    return this.hub.isOnline(userId);
  }
}

// a documented constructor stays
export class Documented {
  /** Built once per process. */
  constructor(private readonly hub: Hub = sharedHub()) {}

  seen(userId: string): boolean {
    return this.hub.isOnline(userId);
  }
}

// a parameter that stays keeps the constructor
export class Labelled {
  constructor(private readonly label: string, private readonly hub: Hub = sharedHub()) {}

  seen(userId: string): string {
    return `${this.label}: ${this.hub.isOnline(userId)}`;
  }
}

export const pinger = new Pinger();
export const watcher = new Watcher();
