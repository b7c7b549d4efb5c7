import { getConnection } from '../legacy/connections';

declare function next(): string;
declare function build(): object;

/** The send's argument runs only when the socket is there; a looked-up id with side effects is not evaluated twice. */
export function tell(userId: string): void {
  getConnection(userId)?.send(JSON.stringify(build()));
  getConnection(userId)!.send(JSON.stringify(build()));
  getConnection(next())?.send('x');
}
