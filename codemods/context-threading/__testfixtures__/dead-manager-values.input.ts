import { sharedHub, type Hub } from '../legacy/hub.js';

const { sharedHub: loadedHub } = require('../legacy/hub.js') as typeof import('../legacy/hub.js');

// CommonJS corner: the module-level load above only fed a hub-level-only manager; it goes with it
export function countOnline(userIds: string[]): number {
  const hub = loadedHub();
  return userIds.filter((u) => hub.isOnline(u)).length;
}

// public API: a parameter defaulting to the shared hub, read only through hub-level members; it keeps its place, its legacy type and the call go
export function isUserOnline(userId: string, hub: Hub = sharedHub()): boolean {
  return hub.isOnline(userId);
}

// the same parameter before a required one keeps a default
export function eitherOnline(hub: Hub = sharedHub(), a: string, b: string): boolean {
  return hub.isOnline(a) || hub.isOnline(b);
}

// private fields holding the shared hub, read only through hub-level members: each field and its assignment go
export class PresenceProbe {
  private readonly hub: Hub;
  #other = sharedHub();

  constructor(private readonly label: string) {
    this.hub = sharedHub();
  }

  probe(userId: string): string {
    return `${this.label}: ${this.hub.isOnline(userId) || this.#other.isOnline(userId)}`;
  }
}

// a private parameter property holding the shared hub, and no call passes it: the parameter goes
export class Announcer {
  constructor(private readonly hub: Hub = sharedHub()) {}

  online(userId: string): boolean {
    return this.hub.isOnline(userId);
  }
}

// a public field may be read by code outside the repo: it stays
export class OpenProbe {
  readonly hub: Hub = sharedHub();

  probe(userId: string): boolean {
    return this.hub.isOnline(userId);
  }
}

// a const read only through hub-level members needs no context: it goes, nothing is threaded
export function online(userId: string): boolean {
  const hub = sharedHub();
  return hub.isOnline(userId);
}
