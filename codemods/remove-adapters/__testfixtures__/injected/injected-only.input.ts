import { inject, injectable } from './di.js';
import { Notifier } from '../legacy/notifier.js';

// the only parameter: the constructor it leaves empty goes too
@injectable()
export class OnlyHandler {
  constructor(@inject(Notifier) private notifier: Notifier) {}

  online(userId: string): boolean {
    return Boolean(this.notifier.getConnection(userId));
  }
}
