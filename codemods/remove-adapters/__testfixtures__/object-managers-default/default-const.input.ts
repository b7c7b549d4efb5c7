// `const hub = { … }; export default hub`: the same manager under an import of another name.
import relay from '../legacy/hub.js';

export function join(userId: string, socket: { send(data: string): void }): void {
  relay.register(userId, socket);
}
