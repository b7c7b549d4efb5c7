// `import x = require()` (typed, as in a .cts file): once no member of it is used, the binding goes too
import legacy = require('../legacy/manager');

export function registered(userId: string): number {
  return legacy.getRegistry().count(userId);
}
