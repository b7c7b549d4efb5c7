import { inject, injectable } from './di.js';
import { Notifier } from '../legacy/notifier.js';
import { Dao } from './dao.js';

// also built with `new` in a file this phase does not edit (wiring.ts): the parameter stays, marked
@injectable()
export class ElsewhereHandler {
  constructor(
    @inject(Notifier) private notifier: Notifier,
    @inject(Dao) private dao: Dao
  ) {}

  handle(userId: string): void {
    this.notifier.sendMessageToUser(userId, { id: this.dao.get(userId) });
  }
}
