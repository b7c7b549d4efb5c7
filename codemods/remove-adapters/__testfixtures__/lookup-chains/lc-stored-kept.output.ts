import { findSocket, type Sock } from '../legacy/connections';
import { hubOperations } from 'ssot-migrate/canonical';

declare function remember(s: Sock | undefined): void;
declare const msg: { userId: string };
declare function setTimeout(f: () => void, ms: number): unknown;

/** Each of these keeps the stored socket (the plain template, as before), its sends marked with the reason. */
export function passed(userId: string, data: string): void {
  const ws = hubOperations().hub.getConnection(userId)?.socket;
  // TODO(ssot)[getConnection]: `ws.send` goes to the socket getConnection(…) returned, stored in `ws`, not through the hub as "getConnection.send" would: `ws` is passed to a function (`remember(ws);`); call the lookup in the chain (`getConnection(…).send`) or rewrite it by hand
  ws?.send(data);
  remember(ws);
}

export function reassigned(userId: string, other: string, data: string): void {
  let ws = hubOperations().hub.getConnection(userId)?.socket;
  if (!ws) ws = hubOperations().hub.getConnection(other)?.socket;
  // TODO(ssot)[getConnection]: `ws.send` goes to the socket getConnection(…) returned, stored in `ws`, not through the hub as "getConnection.send" would: `ws` is reassigned (`ws = getConnection(other);`); call the lookup in the chain (`getConnection(…).send`) or rewrite it by hand
  ws?.send(data);
}

export function later(userId: string, data: string): void {
  const ws = hubOperations().hub.getConnection(userId)?.socket;
  // TODO(ssot)[getConnection]: `ws.send` goes to the socket getConnection(…) returned, stored in `ws`, not through the hub as "getConnection.send" would: `ws` is read inside a function that may run later (`() => ws?.send(data)`); call the lookup in the chain (`getConnection(…).send`) or rewrite it by hand
  setTimeout(() => ws?.send(data), 10);
}

export function byMember(data: string): void {
  const ws = hubOperations().hub.getConnection(msg.userId)?.socket;
  // TODO(ssot)[getConnection]: `ws.send` goes to the socket getConnection(…) returned, stored in `ws`, not through the hub as "getConnection.send" would: `msg.userId` may change or act between the lookup and a use (the lookup would run again at each use of `ws`): bind it to a const first; call the lookup in the chain (`getConnection(…).send`) or rewrite it by hand
  ws?.send(data);
}

export function reassignedId(userId: string, data: string): void {
  const ws = hubOperations().hub.getConnection(userId)?.socket;
  userId = userId.trim();
  // TODO(ssot)[getConnection]: `ws.send` goes to the socket getConnection(…) returned, stored in `ws`, not through the hub as "getConnection.send" would: `userId` may be reassigned (the lookup would run again at each use of `ws`): bind it to a const first; call the lookup in the chain (`getConnection(…).send`) or rewrite it by hand
  ws?.send(data);
}

export class Holder {
  socket: Sock | undefined;
  keep(userId: string, data: string): void {
    const ws = hubOperations().hub.getConnection(userId)?.socket;
    this.socket = ws;
    // TODO(ssot)[getConnection]: `ws.send` goes to the socket getConnection(…) returned, stored in `ws`, not through the hub as "getConnection.send" would: `ws` is stored elsewhere (`this.socket = ws;`); call the lookup in the chain (`getConnection(…).send`) or rewrite it by hand
    ws!.send(data);
  }
}

/** Tested, and the lookup has no plain template to test at each use. */
export function testedNoPlain(userId: string, data: string): void {
  // TODO(ssot)[findSocket]: findSocket: its result stored, passed on or returned, which no chain template covers (functions[0].templates has "findSocket.send") and findSocket has no plain template; add one (a chain for this use, or findSocket itself, e.g. the socket the hub registered), or rewrite it by hand
  const s = findSocket(userId);
  // TODO(ssot)[findSocket]: `s.send` goes to the socket findSocket(…) returned, stored in `s`, not through the hub as "findSocket.send" would: `s` is tested, and findSocket has no plain template to test at each use; call the lookup in the chain (`findSocket(…).send`) or rewrite it by hand
  if (s) s.send(data);
}

/** No chain use: nothing bypasses the hub more than before; the plain template, no marker. */
export function onlyReturned(userId: string): Sock | undefined {
  const ws = hubOperations().hub.getConnection(userId)?.socket;
  return ws;
}
