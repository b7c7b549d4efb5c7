import { inject, injectable } from './di.js';
import { Notifier } from '../legacy/notifier.js';
import { Dao } from './dao.js';
import { hubOperations } from 'ssot-migrate/canonical';

// extended by a class that passes the service on with super(): that call is not a plain `new`, so it stays, marked
@injectable()
export class BaseHandler {
  constructor(
    // TODO(ssot)[Notifier]: notifier is read no more once its calls go to the canonical module, but new BaseHandler is extended at src/app/injected-extended.ts:18 (its super() calls are not followed): drop it, its decorator and those arguments, or keep the legacy service
    @inject(Notifier) private notifier: Notifier,
    @inject(Dao) protected dao: Dao
  ) {}

  handle(userId: string): void {
    hubOperations().sendToUser(userId, ({ id: this.dao.get(userId) }) as Record<string, unknown>);
  }
}

export class LoudHandler extends BaseHandler {
  constructor(notifier: Notifier, dao: Dao) {
    super(notifier, dao);
  }
}
