import { inject, injectable } from './di.js';
import { Notifier } from '../legacy/notifier.js';
import { Dao } from './dao.js';
import { hubOperations } from 'ssot-migrate/canonical';

// built by hand with an argument that does more than build the service: a person decides, so it stays, marked
@injectable()
export class EffectHandler {
  constructor(
    @inject(Dao) private dao: Dao,
    // TODO(ssot)[Notifier]: notifier is read no more once its calls go to the canonical module, but the argument `remembered(new Notifier())` at src/app/injected-new-effect.ts:24 may do more than build it: drop it, its decorator and those arguments, or keep the legacy service
    @inject(Notifier) private notifier: Notifier
  ) {}

  handle(userId: string): void {
    hubOperations().sendToUser(userId, ({ id: this.dao.get(userId) }) as Record<string, unknown>);
  }
}

const made: Notifier[] = [];
function remembered(n: Notifier): Notifier {
  made.push(n);
  return n;
}

export const effect = new EffectHandler(new Dao(), remembered(new Notifier()));
