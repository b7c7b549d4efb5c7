import { inject, injectable } from './di.js';
import { Notifier } from '../legacy/notifier.js';
import { Dao } from './dao.js';

// also built with `new` in another file, which this phase has nothing else to do in
// (injected-new-elsewhere-wiring): the parameter goes, and the argument there with it
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
