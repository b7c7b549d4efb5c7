// A member with no template stays on the legacy default object, marked as default.count.
import ws from '../legacy/ws.js';

export function online(): number {
  return ws.count();
}
