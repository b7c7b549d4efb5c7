import { inject, injectable } from './di.js';
import { Dao } from './dao.js';
import { hubOperations } from 'ssot-migrate/canonical';

// built by the container and by hand in this same file: the argument goes with the parameter
@injectable()
export class HereHandler {
  constructor(@inject(Dao) private dao: Dao) {}

  handle(userId: string): void {
    hubOperations().sendToUser(userId, ({ id: this.dao.get(userId) }) as Record<string, unknown>);
  }
}

export const manual = new HereHandler(new Dao());
