// `const hub = { … }; export default hub`: the same manager under an import of another name.
import { hubOperations } from 'ssot-migrate/canonical';

export function join(userId: string, socket: { send(data: string): void }): void {
  hubOperations().connect(userId, socket);
}
