import { inject, injectable } from './di.js';
import { Dao } from './dao.js';
import { hubOperations } from 'ssot-migrate/canonical';

// the swarmstarv2 shape: an inversify handler the container builds, the legacy service injected first
@injectable()
export class Handler {
  constructor(
    @inject(Dao) private dao: Dao
  ) {}

  handle(userId: string): void {
    if (hubOperations().isOnline(userId)) {
      hubOperations().sendToUser(userId, ({ value: this.dao.get(userId) }) as Record<string, unknown>);
    }
  }
}
