import { findSocket, getConnection, type Sock } from '../legacy/connections';

declare function remember(s: Sock | undefined): void;
declare const msg: { userId: string };
declare function setTimeout(f: () => void, ms: number): unknown;

/** Each of these keeps the stored socket (the plain template, as before), its sends marked with the reason. */
export function passed(userId: string, data: string): void {
  const ws = getConnection(userId);
  ws?.send(data);
  remember(ws);
}

export function reassigned(userId: string, other: string, data: string): void {
  let ws = getConnection(userId);
  if (!ws) ws = getConnection(other);
  ws?.send(data);
}

export function later(userId: string, data: string): void {
  const ws = getConnection(userId);
  setTimeout(() => ws?.send(data), 10);
}

export function byMember(data: string): void {
  const ws = getConnection(msg.userId);
  ws?.send(data);
}

export function reassignedId(userId: string, data: string): void {
  const ws = getConnection(userId);
  userId = userId.trim();
  ws?.send(data);
}

export class Holder {
  socket: Sock | undefined;
  keep(userId: string, data: string): void {
    const ws = getConnection(userId);
    this.socket = ws;
    ws!.send(data);
  }
}

/** Tested, and the lookup has no plain template to test at each use. */
export function testedNoPlain(userId: string, data: string): void {
  const s = findSocket(userId);
  if (s) s.send(data);
}

/** No chain use: nothing bypasses the hub more than before; the plain template, no marker. */
export function onlyReturned(userId: string): Sock | undefined {
  const ws = getConnection(userId);
  return ws;
}
