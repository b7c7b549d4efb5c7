import { hubOperations } from 'ssot-migrate/canonical';

/** PIM-chess-app's shape: the socket stored, tested, then sent to. */
export function notify(userId: string, frame: object): void {
  if (hubOperations().hub.getConnection(userId)?.socket) {
    hubOperations().sendToUser(userId, JSON.parse(JSON.stringify(frame)));
  }
}

export function maybe(userId: string, data: string): void {
  const hub = hubOperations();
  (hub.hub.getConnection(userId)?.socket == null ? undefined : hub.sendToUser(userId, JSON.parse(data)));
}

/** A `let` nothing reassigns, tested by `!` and read through another chain. */
export function guardFirst(userId: string, data: string): void {
  if (!hubOperations().hub.getConnection(userId)?.socket || (hubOperations().isOnline(userId) ? 1 : 3) !== 1) return;
  hubOperations().sendToUser(userId, JSON.parse(data));
}

export function compared(userId: string, data: string): void {
  if (hubOperations().hub.getConnection(userId)?.socket !== undefined) hubOperations().disconnect(userId);
  const hub = hubOperations();
  hub.hub.getConnection(userId)?.socket == null || hub.sendToUser(userId, JSON.parse(data));
}

/** Only chains on the lookup (no plain template) and no test: each use takes its chain. */
export function chainsOnly(userId: string, data: string): void {
  const hub = hubOperations();
  hub.sendToUser(userId, JSON.parse(data));
  hub.sendToUser(userId, JSON.parse(data));
}

/** A plain template that is parenthesised as an operand (a cast): a statement's condition keeps only its own parentheses. */
export function cast(userId: string, data: string): boolean {
  if ((hubOperations().hub.getConnection(userId)?.socket ?? null) as import('../legacy/connections').Sock | null) hubOperations().sendToUser(userId, JSON.parse(data));
  return !((hubOperations().hub.getConnection(userId)?.socket ?? null) as import('../legacy/connections').Sock | null);
}

/** Through an aliased import. */
export function aliased(userId: string, data: string): void {
  const hub = hubOperations();
  (hub.hub.getConnection(userId)?.socket == null ? undefined : hub.sendToUser(userId, JSON.parse(data)));
}
