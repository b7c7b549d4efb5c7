import { castSocket, findSocket, getConnection, getConnection as conn } from '../legacy/connections';

/** PIM-chess-app's shape: the socket stored, tested, then sent to. */
export function notify(userId: string, frame: object): void {
  const ws = getConnection(userId);
  if (ws) {
    ws.send(JSON.stringify(frame));
  }
}

export function maybe(userId: string, data: string): void {
  const ws = getConnection(userId);
  ws?.send(data);
}

/** A `let` nothing reassigns, tested by `!` and read through another chain. */
export function guardFirst(userId: string, data: string): void {
  let ws = getConnection(userId);
  if (!ws || ws.readyState !== 1) return;
  ws.send(data);
}

export function compared(userId: string, data: string): void {
  const ws = getConnection(userId);
  if (ws !== undefined) ws.close();
  ws == null || ws.send(data);
}

/** Only chains on the lookup (no plain template) and no test: each use takes its chain. */
export function chainsOnly(userId: string, data: string): void {
  const s = findSocket(userId)!;
  s.send(data);
  s.send(data);
}

/** A plain template that is parenthesised as an operand (a cast): a statement's condition keeps only its own parentheses. */
export function cast(userId: string, data: string): boolean {
  const ws = castSocket(userId);
  if (ws) ws.send(data);
  return !ws;
}

/** Through an aliased import. */
export function aliased(userId: string, data: string): void {
  const ws = conn(userId);
  ws?.send(data);
}
