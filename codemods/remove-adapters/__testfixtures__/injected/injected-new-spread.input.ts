import { inject, injectable } from './di.js';
import { Notifier } from '../legacy/notifier.js';
import { Dao } from './dao.js';

// built by hand with spread arguments: which argument is the service is not known, so it stays, marked
@injectable()
export class SpreadHandler {
  constructor(
    @inject(Notifier) private notifier: Notifier,
    @inject(Dao) private dao: Dao
  ) {}

  handle(userId: string): void {
    this.notifier.sendMessageToUser(userId, { id: this.dao.get(userId) });
  }
}

const parts = [new Notifier(), new Dao()] as const;
export const spread = new SpreadHandler(...parts);
