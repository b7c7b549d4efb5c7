import { inject, injectable } from './di.js';
import { Notifier } from '../legacy/notifier.js';
import { Dao } from './dao.js';

// built by hand with an argument that does more than build the service: a person decides, so it stays, marked
@injectable()
export class EffectHandler {
  constructor(
    @inject(Dao) private dao: Dao,
    @inject(Notifier) private notifier: Notifier
  ) {}

  handle(userId: string): void {
    this.notifier.sendMessageToUser(userId, { id: this.dao.get(userId) });
  }
}

const made: Notifier[] = [];
function remembered(n: Notifier): Notifier {
  made.push(n);
  return n;
}

export const effect = new EffectHandler(new Dao(), remembered(new Notifier()));
