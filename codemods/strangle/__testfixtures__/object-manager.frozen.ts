// An object manager: an object literal bound to an exported const over module state, its methods
// calling each other through `this`, with a getter, a plain field and an arrow member.
interface Conn {
  socket: { send(data: string): void; on(event: 'close', listener: () => void): void };
}

const subscribers = new Map<string, Set<Conn>>();

export const wsManager = {
  label: 'orders',
  register(orderId: string, conn: Conn): void {
    const set = subscribers.get(orderId) ?? new Set<Conn>();
    set.add(conn);
    subscribers.set(orderId, set);
    conn.socket.on('close', () => this.unregister(orderId, conn));
  },
  unregister(orderId: string, conn: Conn): void {
    subscribers.get(orderId)?.delete(conn);
  },
  notify(orderId: string, payload: Record<string, unknown>): void {
    for (const c of subscribers.get(orderId) ?? []) c.socket.send(JSON.stringify(payload));
  },
  sendStatus(orderId: string, status: string, extra?: Record<string, unknown>): void {
    this.notify(orderId, { orderId, status, ...extra });
  },
  get size(): number {
    return subscribers.size;
  },
  orders: () => [...subscribers.keys()],
};

export const MAX_SUBSCRIBERS = 100;
