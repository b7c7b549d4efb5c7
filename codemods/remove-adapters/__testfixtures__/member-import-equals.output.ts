// `import x = require()` (typed, as in a .cts file): once no member of it is used, the binding goes too
import { hubOperations } from 'ssot-migrate/canonical';

export function registered(userId: string): number {
  return hubOperations().connectionCount(userId);
}
