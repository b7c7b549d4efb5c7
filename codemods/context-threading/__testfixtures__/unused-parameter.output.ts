import { hubOperations } from 'ssot-migrate/canonical';

// a trailing parameter nothing reads once the hub-level member drops its receiver; the only
// call is in this file: the parameter and the argument go
function onlineHere(userId: string): boolean {
  return hubOperations().isOnline(userId);
}

export function check(userId: string): boolean {
  return onlineHere(userId);
}

// called with the argument from another file (unused-parameter-caller.ts): a per-file edit cannot reach it, the parameter stays
export function onlineThere(userId: string, hub?: unknown): boolean {
  return hubOperations().isOnline(userId);
}

// handed to other code as a callback: its caller chooses the arguments, the parameter stays
function onlineCallback(userId: string, hub?: unknown): boolean {
  return hubOperations().isOnline(userId);
}

export const anyOnline = (ids: string[]): boolean => ids.some(onlineCallback);
