import { Injectable } from './di.js';
import { Notifier } from '../legacy/notifier.js';
import { Dao } from './dao.js';

// NestJS-style: no parameter decorator, the class's decorator makes the compiler record the
// parameter types (emitDecoratorMetadata), which the container reads
@Injectable()
export class MetadataService {
  constructor(private readonly dao: Dao, private readonly notifier: Notifier) {}

  notify(userId: string): void {
    this.notifier.sendMessageToUser(userId, { value: this.dao.get(userId) });
  }
}
