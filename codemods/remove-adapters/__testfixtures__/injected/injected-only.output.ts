import { injectable } from './di.js';
import { hubOperations } from 'ssot-migrate/canonical';

// the only parameter: the constructor it leaves empty goes too
@injectable()
export class OnlyHandler {
  online(userId: string): boolean {
    return Boolean(hubOperations().isOnline(userId));
  }
}
