import { hubOperations } from 'ssot-migrate/canonical';

// the dead parameter was the constructor's only content: the constructor goes
export class Pinger {
  ping(userId: string): boolean {
    return hubOperations().isOnline(userId);
  }
}

// its only statement assigned a dead private field: field, statement and constructor go
export class Watcher {
  watch(userId: string): boolean {
    return hubOperations().isOnline(userId);
  }
}

// a private constructor restricts who may construct: it stays, empty
export class Singleton {
  private constructor() {}

  static make(): Singleton {
    return new Singleton();
  }

  seen(userId: string): boolean {
    return hubOperations().isOnline(userId);
  }
}

// so does a protected one
export class BaseProbe {
  protected constructor() {}

  seen(userId: string): boolean {
    return hubOperations().isOnline(userId);
  }
}

// a comment in the body is a person's note: the constructor stays
export class Noted {
  constructor() {
    // wired by the container
  }

  seen(userId: string): boolean {
    return hubOperations().isOnline(userId);
  }
}

// a documented constructor stays
export class Documented {
  /** Built once per process. */
  constructor() {}

  seen(userId: string): boolean {
    return hubOperations().isOnline(userId);
  }
}

// a parameter that stays keeps the constructor
export class Labelled {
  constructor(private readonly label: string) {}

  seen(userId: string): string {
    return `${this.label}: ${hubOperations().isOnline(userId)}`;
  }
}

export const pinger = new Pinger();
export const watcher = new Watcher();
