/**
 * An object manager whose connections arrive wrapped in another object (a framework's stream:
 * `conn.socket`, no connection id — @fastify/websocket's SocketStream), over a Map of its own,
 * and its canonical table: shared by the shadow and flip tests that route it.
 */
import { canonicalTable } from '../proxies/templated.js';
import type { CanonicalTable } from '../proxies/templated.js';

/** All the feed does with a socket. */
interface Sendable {
  send(d: string): void;
}

export class Stream {
  constructor(readonly socket: Sendable) {}
}

export interface StreamFeed {
  register(orderId: string, conn: Stream): void;
  unregister(orderId: string, conn: Stream): void;
  notify(orderId: string, payload: object): void;
}

/** A fresh feed, its own Map (`subs`, what the legacy side stored) and its table; `registration` as the test needs it. */
export function streamFeed(registration?: ReadonlyArray<keyof StreamFeed & string>): { feed: StreamFeed; feedTable: CanonicalTable<StreamFeed>; subs: Map<string, Set<Stream>> } {
  const subs = new Map<string, Set<Stream>>();
  const feed: StreamFeed = {
    register(orderId, conn) {
      subs.set(orderId, (subs.get(orderId) ?? new Set()).add(conn));
    },
    unregister(orderId, conn) {
      subs.get(orderId)?.delete(conn);
    },
    notify(orderId, payload) {
      for (const c of subs.get(orderId) ?? []) c.socket.send(JSON.stringify(payload));
    },
  };
  const feedTable = canonicalTable<StreamFeed>({
    methods: {
      register: (self, orderId, conn) => void self.hub.connect(orderId, conn.socket),
      unregister: (self, _orderId, conn) => void self.hub.disconnect(self.hub.hub.getConnectionIdBySocket(conn.socket) ?? ''),
      notify: (self, orderId, payload) => void self.hub.sendToUser(orderId, { ...payload }),
    },
    ...(registration ? { registration: [...registration] } : {}),
  });
  return { feed, feedTable, subs };
}
