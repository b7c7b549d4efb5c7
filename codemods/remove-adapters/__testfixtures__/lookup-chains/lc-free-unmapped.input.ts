import { findSocket } from '../legacy/connections';

/** findSocket has chains only: a covered use is rewritten, the others are marked alone. */
export function tell(userId: string, data: string): void {
  findSocket(userId)!.send(data);
}

export function maybeTell(userId: string, data: string): void {
  findSocket(userId)?.send(data);
}

export function later(userId: string): void {
  const socket = findSocket(userId);
  socket?.close();
}

export function kick(userId: string): void {
  findSocket(userId)!.close();
}
