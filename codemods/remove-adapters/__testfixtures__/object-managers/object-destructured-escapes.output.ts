// Bindings a call-by-call rewrite cannot follow stay, marked with why: one passed as a value,
// one reassigned, a default, a rest element (so nothing is trimmed).
import { wsManager } from '../legacy/ws.js';

type Conn = { socket: { send(data: string): void } };

// TODO(ssot)[wsManager]: members of wsManager destructured here stay on the legacy object: notify is used as a value at line 10 (not called), and a template applies to calls; unregister is reassigned; `register = …` gives wsManager.register a default, which its template cannot keep; `...others` takes the rest of wsManager as an object — call them on `wsManager` so their templates apply, or rewrite by hand
let { notify, unregister, register = (orderId: string, connection: Conn) => void [orderId, connection], ...others } = wsManager;

export function wire(orderId: string, connection: Conn, handlers: Array<(id: string, p: Record<string, unknown>) => void>): number {
  handlers.push(notify);
  notify(orderId, { orderId });
  unregister = () => undefined;
  unregister(orderId, connection);
  register(orderId, connection);
  return others.count();
}
