import { sharedHub, type Hub } from '../legacy/hub.js';
import { hubOperations } from 'ssot-migrate/canonical';

// CommonJS corner: the module-level load above only fed a hub-level-only manager; it goes with it
export function countOnline(userIds: string[]): number {
  return userIds.filter((u) => hubOperations().isOnline(u)).length;
}

// public API: a parameter defaulting to the shared hub, read only through hub-level members; it keeps its place, its legacy type and the call go
export function isUserOnline(userId: string, hub?: unknown): boolean {
  return hubOperations().isOnline(userId);
}

// the same parameter before a required one keeps a default
export function eitherOnline(hub: unknown = undefined, a: string, b: string): boolean {
  const hub2 = hubOperations();
  return hub2.isOnline(a) || hub2.isOnline(b);
}

// private fields holding the shared hub, read only through hub-level members: each field and its assignment go
export class PresenceProbe {

  constructor(private readonly label: string) {
  }

  probe(userId: string): string {
    const hub = hubOperations();
    return `${this.label}: ${hub.isOnline(userId) || hub.isOnline(userId)}`;
  }
}

// a private parameter property holding the shared hub, and no call passes it: the parameter goes
export class Announcer {
  online(userId: string): boolean {
    return hubOperations().isOnline(userId);
  }
}

// a public field may be read by code outside the repo: it stays
export class OpenProbe {
  // TODO(ssot): sharedHub() is the shared legacy manager: no value of type UserExecutionContext in scope, and threading it stops at a boundary: sharedHub() at src/app/dead-manager-values.ts:46 → boundary: at module top level, in a property initializer or an accessor (no parameter to add)
  readonly hub: Hub = sharedHub();

  probe(userId: string): boolean {
    return hubOperations().isOnline(userId);
  }
}

// a const read only through hub-level members needs no context: it goes, nothing is threaded
export function online(userId: string): boolean {
  return hubOperations().isOnline(userId);
}
