/**
 * RealtimeHub — every open socket of the process, and the one place frames go out.
 *
 * Started as "the websocket map" in 0.1 and grew from there. Everything that talks to a
 * browser goes through here: run events (via RunEventPusher), notices, announcements,
 * presence. It is synchronous on purpose: `socket.send` queues in the ws library anyway, so
 * callers never have to await a push.
 *
 * Use `HubRegistry.shared()` (registry.ts) to get the instance; do not `new` it in app code.
 */
import { randomBytes } from 'node:crypto';
import type { RequestScope } from '../services/request-scope.js';

/** Anything we can write a text frame to (a ws WebSocket, or a fake in tests). */
export interface Socket {
  send(data: string): void;
}

export enum HubMode {
  Live = 'live',
  Degraded = 'degraded',
  Draining = 'draining',
}

/** One outgoing frame before encoding. `type` is what the client switches on. */
export interface HubEvent {
  type: string;
  [field: string]: unknown;
}

export interface HubHealth {
  status: 'ok' | 'degraded';
  mode: HubMode;
  users: number;
  connections: number;
  delivered: number;
  failed: number;
  uptimeMs: number;
}

/** Frames above this are refused (the browser client drops them anyway). Also used by the HTTP layer. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

/** Short random ids with a readable prefix: `conn_4f9c1a2b`, `run_…`. Used all over the app. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

interface Attached {
  id: string;
  userId: string;
  socket: Socket;
  attachedAt: number;
}

export class RealtimeHub {
  mode: HubMode = HubMode.Live;

  private readonly connections = new Map<string, Attached>();
  private readonly byUser = new Map<string, Set<string>>();
  private readonly startedAt = Date.now();
  private delivered = 0;
  private failed = 0;
  /** The request being served (set by HubRegistry.forRequest) — see RunEventPusher.forCurrentRequest. */
  private scope: RequestScope | undefined;

  /** Registers a socket for a user and says hello on it. Returns the connection id. */
  attach(userId: string, socket: Socket): string {
    if (this.mode === HubMode.Draining) throw new Error('hub is draining, not accepting sockets');
    const id = newId('conn');
    this.connections.set(id, { id, userId, socket, attachedAt: Date.now() });
    let ids = this.byUser.get(userId);
    if (!ids) {
      ids = new Set();
      this.byUser.set(userId, ids);
    }
    ids.add(id);
    this.write(this.connections.get(id)!, { type: 'hello', connectionId: id });
    return id;
  }

  /** Forgets a socket. False if it was not attached (already gone). */
  detach(connectionId: string): boolean {
    const conn = this.connections.get(connectionId);
    if (!conn) return false;
    this.connections.delete(connectionId);
    const ids = this.byUser.get(conn.userId);
    ids?.delete(connectionId);
    if (ids && ids.size === 0) this.byUser.delete(conn.userId);
    return true;
  }

  /** Sends to every tab of the user. Returns how many sockets got it (0 = user offline). */
  publishToUser(userId: string, event: HubEvent): number {
    const ids = this.byUser.get(userId);
    if (!ids) return 0;
    let sent = 0;
    for (const id of ids) {
      const conn = this.connections.get(id);
      if (conn && this.write(conn, event)) sent++;
    }
    return sent;
  }

  /** Sends to every connected socket of every user (announcements, maintenance notices). */
  broadcastAll(event: HubEvent): number {
    let sent = 0;
    for (const conn of this.connections.values()) {
      if (this.write(conn, event)) sent++;
    }
    return sent;
  }

  listConnectedUsers(): string[] {
    return [...this.byUser.keys()];
  }

  /** Sockets open for one user, or for everybody when no user is given. */
  connectionCount(userId?: string): number {
    if (userId === undefined) return this.connections.size;
    return this.byUser.get(userId)?.size ?? 0;
  }

  isOnline(userId: string): boolean {
    return this.connectionCount(userId) > 0;
  }

  health(): HubHealth {
    return {
      status: this.mode === HubMode.Live ? 'ok' : 'degraded',
      mode: this.mode,
      users: this.byUser.size,
      connections: this.connections.size,
      delivered: this.delivered,
      failed: this.failed,
      uptimeMs: Date.now() - this.startedAt,
    };
  }

  setMode(mode: HubMode | `${HubMode}`): void {
    this.mode = mode as HubMode;
  }

  /** Remembers which request the hub is serving right now (called by HubRegistry.forRequest). */
  bindScope(scope: RequestScope): void {
    this.scope = scope;
  }

  currentScope(): RequestScope {
    if (!this.scope) throw new Error('RealtimeHub: no request bound (use HubRegistry.forRequest(req))');
    return this.scope;
  }

  private write(conn: Attached, event: HubEvent): boolean {
    if (this.mode === HubMode.Draining && event.type !== 'hello') return false;
    const data = JSON.stringify(event);
    if (data.length > MAX_PAYLOAD_BYTES) {
      this.failed++;
      return false;
    }
    try {
      conn.socket.send(data);
      this.delivered++;
      return true;
    } catch {
      // A dead socket: drop it, the client reconnects.
      this.failed++;
      this.detach(conn.id);
      return false;
    }
  }
}

export default RealtimeHub;
