import { inject, injectable, container } from './di.js';
import { Notifier } from '../legacy/notifier.js';
import { Dao } from './dao.js';

// injected last, `private readonly`, a trailing comma; the container is handed the class as a token
@injectable()
export class LastHandler {
  constructor(
    @inject(Dao) private readonly dao: Dao,
    @inject(Notifier) private readonly notifier: Notifier,
  ) {}

  handle(userId: string): void {
    this.notifier.sendMessageToUser(userId, { id: this.dao.get(userId) });
  }
}

export const handler = container.get(LastHandler);
