import { inject, injectable } from './di.js';
import { Notifier } from '../legacy/notifier.js';
import { Dao } from './dao.js';

// extended by a class that passes the service on with super(): that call is not a plain `new`, so it stays, marked
@injectable()
export class BaseHandler {
  constructor(
    @inject(Notifier) private notifier: Notifier,
    @inject(Dao) protected dao: Dao
  ) {}

  handle(userId: string): void {
    this.notifier.sendMessageToUser(userId, { id: this.dao.get(userId) });
  }
}

export class LoudHandler extends BaseHandler {
  constructor(notifier: Notifier, dao: Dao) {
    super(notifier, dao);
  }
}
