import { inject, injectable, container } from './di.js';
import { Dao } from './dao.js';
import { hubOperations } from 'ssot-migrate/canonical';

// injected last, `private readonly`, a trailing comma; the container is handed the class as a token
@injectable()
export class LastHandler {
  constructor(
    @inject(Dao) private readonly dao: Dao,
  ) {}

  handle(userId: string): void {
    hubOperations().sendToUser(userId, ({ id: this.dao.get(userId) }) as Record<string, unknown>);
  }
}

export const handler = container.get(LastHandler);
