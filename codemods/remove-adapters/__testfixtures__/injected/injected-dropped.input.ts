import { inject, injectable } from './di.js';
import { Notifier } from '../legacy/notifier.js';
import { Dao } from './dao.js';

// the swarmstarv2 shape: an inversify handler the container builds, the legacy service injected first
@injectable()
export class Handler {
  constructor(
    @inject(Notifier) private notifier: Notifier,
    @inject(Dao) private dao: Dao
  ) {}

  handle(userId: string): void {
    if (this.notifier.getConnection(userId)) {
      this.notifier.sendMessageToUser(userId, { value: this.dao.get(userId) });
    }
  }
}
