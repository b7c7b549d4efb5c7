import { inject, injectable } from './di.js';
import { Notifier } from '../legacy/notifier.js';
import { Dao } from './dao.js';

// built by the container and by hand in this same file: the argument goes with the parameter
@injectable()
export class HereHandler {
  constructor(@inject(Dao) private dao: Dao, @inject(Notifier) private notifier: Notifier) {}

  handle(userId: string): void {
    this.notifier.sendMessageToUser(userId, { id: this.dao.get(userId) });
  }
}

export const manual = new HereHandler(new Dao(), new Notifier());
