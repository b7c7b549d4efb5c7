import { createUserExecutionContext, isUserExecutionContext } from './context.js';
import type { UserExecutionContext } from './context.js';
import { CrossUserAccessError } from './errors.js';
import type { CriticalEventData, CriticalEventType, EventEnvelope } from './events.js';
import { getDefaultHub } from './hub.js';
import type { ConnectionHub, Emitter } from './hub.js';
import { WebSocketManagerMode } from './mode.js';
import type { ConnectionHealth, OutboundMessage, SocketLike, WebSocketConnection, WebSocketManagerProtocol } from './protocol.js';

export interface WebSocketManagerOptions {
  /** Where connections live; default: the process-wide hub (in-memory bus). */
  hub?: ConnectionHub;
}

/** A manager that acts for exactly one user, thread and run. */
export interface ScopedWebSocketManager extends WebSocketManagerProtocol {
  readonly context: UserExecutionContext;
  readonly mode: WebSocketManagerMode;
  readonly hub: ConnectionHub;
  /** Emits one of the five events for ctx.runId / ctx.threadId to every socket of ctx.userId. */
  emit<T extends CriticalEventType>(eventType: T, data: CriticalEventData[T]): Promise<EventEnvelope<T>>;
  /**
   * emit without a promise where none is needed: on the in-memory bus the event is validated,
   * sequenced, stored and written to every socket of ctx.userId before it returns undefined, and a
   * refusal is thrown (not a rejection); on an asynchronous bus (Redis) it returns emit's promise,
   * after the same checks at the call: what the hub refuses by itself (fields, lifecycle, the run's
   * owner and thread as the hub knows them, a closed hub) is thrown there too; only the bus's own
   * refusals (Redis's owner check, an outage) and emits queued behind one in flight reject.
   * Portable use: `const p = ws.emitNow(type, data); if (p) await p;`.
   */
  emitNow<T extends CriticalEventType>(eventType: T, data: CriticalEventData[T]): Promise<EventEnvelope<T>> | undefined;
}

/**
 * Returns a manager scoped to ctx.userId. It cannot reach another user: a userId argument
 * other than ctx.userId throws CrossUserAccessError, and other users' connections are
 * invisible to it (lookups return undefined/false, removal is a no-op).
 */
export function createWebSocketManager(ctx: UserExecutionContext, options: WebSocketManagerOptions = {}): ScopedWebSocketManager {
  // A frozen, valid context is used as is; anything else is validated and copied (precise errors).
  const context = Object.isFrozen(ctx) && isUserExecutionContext(ctx) ? ctx : createUserExecutionContext(ctx);
  return new ScopedManager(context, options.hub ?? getDefaultHub());
}

/**
 * The manager is its own EmitCache (the hub's and the bus's state of its run, kept between emits: no
 * lookup per event) and keeps its context's three ids: an emit reads this one object, not a context
 * and a cache object besides (each a likely cache miss when many runs interleave), and a run makes
 * one object less.
 */
class ScopedManager implements ScopedWebSocketManager, Emitter {
  readonly mode = WebSocketManagerMode.UNIFIED;
  /** @internal EmitCache: the hub's run state. */
  run: unknown = undefined;
  /** @internal EmitCache (RunSlot): the bus's run state. */
  busRef: unknown = undefined;
  /** @internal Emitter: the context's ids. */
  readonly userId: string;
  /** @internal */
  readonly threadId: string;
  /** @internal */
  readonly runId: string;

  constructor(
    readonly context: UserExecutionContext,
    readonly hub: ConnectionHub,
  ) {
    this.userId = context.userId;
    this.threadId = context.threadId;
    this.runId = context.runId;
  }

  async addConnection(connection: WebSocketConnection): Promise<void> {
    this.assertSelf(connection?.userId, 'register a connection of');
    this.hub.addConnection(connection);
  }

  async removeConnection(connectionId: string): Promise<void> {
    if (this.own(connectionId)) this.hub.removeConnection(connectionId);
  }

  getConnection(connectionId: string): WebSocketConnection | undefined {
    return this.own(connectionId);
  }

  getUserConnections(userId: string): Set<string> {
    this.assertSelf(userId, 'list connections of');
    return this.hub.getUserConnections(userId);
  }

  isConnectionActive(userId: string): boolean {
    this.assertSelf(userId, 'inspect');
    return this.hub.isConnectionActive(userId);
  }

  getConnectionIdByWebSocket(socket: SocketLike): string | undefined {
    const id = this.hub.getConnectionIdBySocket(socket);
    return id !== undefined && this.own(id) ? id : undefined;
  }

  updateConnectionThread(connectionId: string, threadId: string): boolean {
    return this.own(connectionId) ? this.hub.updateConnectionThread(connectionId, threadId) : false;
  }

  async sendToUser(userId: string, message: OutboundMessage): Promise<void> {
    this.assertSelf(userId, 'send to');
    await this.hub.sendToUser(userId, message);
  }

  async emitCriticalEvent(userId: string, eventType: string, data: Record<string, unknown>): Promise<void> {
    this.assertSelf(userId, 'emit events to');
    // emit validates type and data (and serialises them once); no second pass here.
    await this.emit(eventType as CriticalEventType, data as CriticalEventData[CriticalEventType]);
  }

  emit<T extends CriticalEventType>(eventType: T, data: CriticalEventData[T]): Promise<EventEnvelope<T>> {
    return this.hub.publishFor(this, eventType, data);
  }

  emitNow<T extends CriticalEventType>(eventType: T, data: CriticalEventData[T]): Promise<EventEnvelope<T>> | undefined {
    return this.hub.publishNowFor(this, eventType, data);
  }

  getConnectionHealth(userId: string): ConnectionHealth {
    this.assertSelf(userId, 'inspect');
    return this.hub.getConnectionHealth(userId);
  }

  /** Only this user's sockets bound to threadId; true if at least one delivery happened. */
  async sendToThread(threadId: string, message: OutboundMessage): Promise<boolean> {
    const delivered = await this.hub.sendToUser(this.userId, message, { threadId });
    return delivered > 0;
  }

  private own(connectionId: string): WebSocketConnection | undefined {
    const c = this.hub.getConnection(connectionId);
    return c && c.userId === this.userId ? c : undefined;
  }

  private assertSelf(userId: unknown, what: string): void {
    if (userId !== this.userId) throw new CrossUserAccessError(this.userId, String(userId), what);
  }
}
