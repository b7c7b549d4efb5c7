import { inject, injectable } from './di.js';
import { Notifier } from '../legacy/notifier.js';
import { Dao } from './dao.js';
import { hubOperations } from 'ssot-migrate/canonical';

// also built with `new` in a file this phase does not edit (wiring.ts): the parameter stays, marked
@injectable()
export class ElsewhereHandler {
  constructor(
    // TODO(ssot): notifier is read no more once its calls go to the canonical module, but a call of the constructor outside this file passes it: drop it, its decorator and those arguments, or keep the legacy service
    @inject(Notifier) private notifier: Notifier,
    @inject(Dao) private dao: Dao
  ) {}

  handle(userId: string): void {
    hubOperations().sendToUser(userId, ({ id: this.dao.get(userId) }) as Record<string, unknown>);
  }
}
