import { inject, injectable } from './di.js';
import { Dao } from './dao.js';
import { hubOperations } from 'ssot-migrate/canonical';

// also built with `new` in another file, which this phase has nothing else to do in
// (injected-new-elsewhere-wiring): the parameter goes, and the argument there with it
@injectable()
export class ElsewhereHandler {
  constructor(
    @inject(Dao) private dao: Dao
  ) {}

  handle(userId: string): void {
    hubOperations().sendToUser(userId, ({ id: this.dao.get(userId) }) as Record<string, unknown>);
  }
}
