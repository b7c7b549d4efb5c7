// Two of three imports in double quotes without semicolons: the inserted import follows them,
// not the first one.
import { join as joinAgain } from './util.js';
import { join } from "./util.js"
import { join as joinTwice } from "./util.js"

interface Notifier {
  notify(event: string): void;
}

export function announce(n: Notifier, id: string): string {
  n.notify(join(id, 'ready'));
  return joinAgain(joinTwice(id));
}
