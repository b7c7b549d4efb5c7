import { inject, injectable } from './di.js';
import { Notifier } from '../legacy/notifier.js';
import { Dao } from './dao.js';
import { hubOperations } from 'ssot-migrate/canonical';

// built by hand with spread arguments: which argument is the service is not known, so it stays, marked
@injectable()
export class SpreadHandler {
  constructor(
    // TODO(ssot)[Notifier]: notifier is read no more once its calls go to the canonical module, but new SpreadHandler is called with spread arguments at src/app/injected-new-spread.ts:19: drop it, its decorator and those arguments, or keep the legacy service
    @inject(Notifier) private notifier: Notifier,
    @inject(Dao) private dao: Dao
  ) {}

  handle(userId: string): void {
    hubOperations().sendToUser(userId, ({ id: this.dao.get(userId) }) as Record<string, unknown>);
  }
}

const parts = [new Notifier(), new Dao()] as const;
export const spread = new SpreadHandler(...parts);
