import { getConnection } from '../legacy/connections';
import { hubOperations } from 'ssot-migrate/canonical';

declare function next(): string;
declare function build(): object;

/** The send's argument runs only when the socket is there; a looked-up id with side effects is not evaluated twice. */
export function tell(userId: string): void {
  (hubOperations().hub.getConnection(userId)?.socket == null ? undefined : hubOperations().sendToUser(userId, JSON.parse(JSON.stringify(build()))));
  hubOperations().sendToUser(userId, JSON.parse(JSON.stringify(build())));
  // TODO(ssot)[getConnection]: getConnection(…).send is reached through `?.send`, tested, then used by the chain's template: `next()` may have side effects and would be evaluated twice; bind it to a const first
  getConnection(next())?.send('x');
}
