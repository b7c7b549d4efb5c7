import Repo, { getConnection, saveConnection, type Sock } from '../legacy/connections';

export function join(userId: string, socket: Sock): void {
  saveConnection(userId, socket);
}

/** Each use of the lookup's result goes through a chain with a template: one hub call each. */
export function tell(userId: string, frame: object): void {
  getConnection(userId)!.send(JSON.stringify(frame));
}

export function maybeTell(userId: string, frame: object): void {
  getConnection(userId)?.send(JSON.stringify(frame));
}

export function parenthesised(userId: string, data: string): void {
  (getConnection(userId))!.send(data);
  (getConnection(userId)!).send(data);
}

export function everyone(ids: string[], data: string): void {
  ids.forEach((id) => getConnection(id)?.send(data));
}

export function state(userId: string): string {
  return `state ${getConnection(userId)!.readyState}`;
}

export function kick(userId: string): void {
  Repo.getConnection(userId)!.close();
}
