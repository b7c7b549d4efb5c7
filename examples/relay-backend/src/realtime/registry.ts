/**
 * Where app code gets the hub.
 *
 * There is one hub per process: sockets attach to it and every sender must reach the same
 * sockets. `forRequest` exists so request handlers can say which request they serve (the hub
 * remembers the scope for code further down that has no request in hand).
 */
import { RealtimeHub } from './hub.js';
import { scopeFromRequest, type ScopeSource } from '../services/request-scope.js';

export class HubRegistry {
  private static instance: RealtimeHub | undefined;

  /** The process-wide hub. */
  static shared(): RealtimeHub {
    if (!HubRegistry.instance) HubRegistry.instance = new RealtimeHub();
    return HubRegistry.instance;
  }

  /** The hub, bound to this request's scope (user / thread / run). */
  static forRequest(req: ScopeSource): RealtimeHub {
    const hub = HubRegistry.shared();
    hub.bindScope(scopeFromRequest(req));
    return hub;
  }

  /** Drops the instance (a new one is made on next use). Only for scripts that restart the app in-process. */
  static reset(): void {
    HubRegistry.instance = undefined;
  }
}
