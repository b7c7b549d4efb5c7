import { inject, injectable } from './di.js';
import { Notifier } from '../legacy/notifier.js';
import { hubOperations } from 'ssot-migrate/canonical';

// the injected service is still read as a value (handed on): it stays
@injectable()
export class ReadHandler {
  constructor(@inject(Notifier) private notifier: Notifier) {}

  handle(userId: string, keep: (n: Notifier) => void): void {
    hubOperations().sendToUser(userId, ({}) as Record<string, unknown>);
    keep(this.notifier);
  }
}
