import { Injectable } from './di.js';
import { Dao } from './dao.js';
import { hubOperations } from 'ssot-migrate/canonical';

// NestJS-style: no parameter decorator, the class's decorator makes the compiler record the
// parameter types (emitDecoratorMetadata), which the container reads
@Injectable()
export class MetadataService {
  constructor(private readonly dao: Dao) {}

  notify(userId: string): void {
    hubOperations().sendToUser(userId, ({ value: this.dao.get(userId) }) as Record<string, unknown>);
  }
}
