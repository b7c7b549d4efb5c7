// Bindings a call-by-call rewrite cannot follow stay, marked with why: one passed as a value,
// one reassigned, a default, a rest element (so nothing is trimmed).
import { wsManager } from '../legacy/ws.js';

type Conn = { socket: { send(data: string): void } };

let { notify, unregister, register = (orderId: string, connection: Conn) => void [orderId, connection], ...others } = wsManager;

export function wire(orderId: string, connection: Conn, handlers: Array<(id: string, p: Record<string, unknown>) => void>): number {
  handlers.push(notify);
  notify(orderId, { orderId });
  unregister = () => undefined;
  unregister(orderId, connection);
  register(orderId, connection);
  return others.count();
}
