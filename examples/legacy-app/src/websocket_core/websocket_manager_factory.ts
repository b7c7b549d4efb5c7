/**
 * Port of websocket_core/websocket_manager_factory.py. The factory promised one manager
 * per user, but every entry point here returns the SAME process-wide manager and writes
 * the caller's context into it: the isolation bug the migration exists to remove.
 */
import type { UserExecutionContext } from '../services/user_execution_context.js';
import { UnifiedWebSocketManager, WebSocketManagerMode, getWebSocketManager as getSharedManager } from './unified_manager.js';

export class WebSocketManagerFactory {
  private static factory: WebSocketManagerFactory | undefined;
  readonly maxManagersPerUser: number;

  constructor(maxManagersPerUser = 20) {
    this.maxManagersPerUser = maxManagersPerUser;
  }

  /** Returns the shared manager, re-bound to `ctx` when one is given. */
  static getInstance(ctx?: UserExecutionContext): UnifiedWebSocketManager {
    const manager = getSharedManager();
    if (ctx) manager.userContext = ctx;
    return manager;
  }

  /** Same shared manager: "create" creates nothing. */
  static create(ctx: UserExecutionContext, _mode: WebSocketManagerMode = WebSocketManagerMode.ISOLATED): UnifiedWebSocketManager {
    return WebSocketManagerFactory.getInstance(ctx);
  }

  static getFactory(): WebSocketManagerFactory {
    WebSocketManagerFactory.factory ??= new WebSocketManagerFactory();
    return WebSocketManagerFactory.factory;
  }

  async createManager(ctx: UserExecutionContext, mode: string = 'isolated'): Promise<UnifiedWebSocketManager> {
    return WebSocketManagerFactory.create(ctx, mode === 'isolated' ? WebSocketManagerMode.ISOLATED : WebSocketManagerMode.UNIFIED);
  }

  /** Always 1: there is only one manager. */
  getUserManagerCount(_userId: string): number {
    return 1;
  }
}

export function getWebSocketManagerFactory(): WebSocketManagerFactory {
  return WebSocketManagerFactory.getFactory();
}

/** Deprecated spelling kept for callers; shares the same instance. */
export function createWebSocketManager(ctx: UserExecutionContext): UnifiedWebSocketManager {
  return WebSocketManagerFactory.getInstance(ctx);
}

/** The entry point most callers use; without a context it returns the manager as last bound. */
export function getWebSocketManager(ctx?: UserExecutionContext): UnifiedWebSocketManager {
  return WebSocketManagerFactory.getInstance(ctx);
}
