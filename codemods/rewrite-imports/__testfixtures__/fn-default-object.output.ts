// A module of free functions (functions[]) whose default export is an object of its functions:
// remove-adapters expands `Conns.sendToUser(…)` from the template, so the default import is deferred to
// it, not reported as a name missing from the symbol map (JeLLek1/PIM-chess-app's ConnectionRepository).
import Conns from '../legacy/conns';

export function leave(userId: string): void {
  Conns.sendToUser(userId, { type: 'left' });
}
