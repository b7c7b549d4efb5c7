import { type Sock } from '../legacy/connections';
import { hubOperations } from 'ssot-migrate/canonical';

export function join(userId: string, socket: Sock): void {
  hubOperations().connect(userId, socket, { connectionId: userId });
}

/** Each use of the lookup's result goes through a chain with a template: one hub call each. */
export function tell(userId: string, frame: object): void {
  hubOperations().sendToUser(userId, JSON.parse(JSON.stringify(frame)));
}

export function maybeTell(userId: string, frame: object): void {
  const hub = hubOperations();
  (hub.hub.getConnection(userId)?.socket == null ? undefined : hub.sendToUser(userId, JSON.parse(JSON.stringify(frame))));
}

export function parenthesised(userId: string, data: string): void {
  const hub = hubOperations();
  hub.sendToUser(userId, JSON.parse(data));
  hub.sendToUser(userId, JSON.parse(data));
}

export function everyone(ids: string[], data: string): void {
  ids.forEach((id) => (hubOperations().hub.getConnection(id)?.socket == null ? undefined : hubOperations().sendToUser(id, JSON.parse(data))));
}

export function state(userId: string): string {
  return `state ${(hubOperations().isOnline(userId) ? 1 : 3)}`;
}

export function kick(userId: string): void {
  hubOperations().disconnect(userId);
}
