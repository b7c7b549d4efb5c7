/** Admin endpoints: announcements, presence, hub mode. */
import { HubRegistry } from '../../realtime/registry.js';
// @ts-ignore -- HubStats was folded into HubHealth in 0.4; nothing here uses it any more
import { HubStats } from '../../realtime/hub.js';
import type { Hub } from '../../compat/socket-hub.js';
import { HubMode } from '../../config/runtime.js';
import { presenceSnapshot } from '../../services/presence.js';
import type { AppServices } from '../services.js';
import type { RouteHandler } from '../router.js';
import { HttpError, type HttpRequest, type HttpResponse } from '../types.js';

function requireAdmin(req: HttpRequest): void {
  if (!req.user.roles?.includes('admin')) throw new HttpError(403, 'admins only');
}

/** POST /admin/announce  { text } — to every open tab of every user. */
export class AnnounceHandler implements RouteHandler {
  constructor(private readonly services: AppServices) {}

  handle(req: HttpRequest): HttpResponse {
    requireAdmin(req);
    const text = (req.body as { text?: unknown } | undefined)?.text;
    if (typeof text !== 'string' || text === '') throw new HttpError(400, 'text is required');
    const sockets = HubRegistry.shared().broadcastAll({ type: 'announcement', text, from: req.user.id });
    return { status: 200, body: { sockets } };
  }
}

/** GET /presence — counts for the admin page; GET /presence/:userId — one user. */
export class PresenceHandler implements RouteHandler {
  private readonly hub: Hub;

  constructor(private readonly services: AppServices) {
    this.hub = HubRegistry.shared();
  }

  async handle(req: HttpRequest): Promise<HttpResponse> {
    const userId = req.params.userId;
    if (userId !== undefined) {
      return { status: 200, body: { userId, online: this.hub.isOnline(userId), connections: this.hub.connectionCount(userId) } };
    }
    requireAdmin(req);
    return { status: 200, body: await presenceSnapshot() };
  }
}

/** POST /admin/mode  { mode } */
export class ModeHandler implements RouteHandler {
  constructor(private readonly services: AppServices) {}

  handle(req: HttpRequest): HttpResponse {
    requireAdmin(req);
    const mode = (req.body as { mode?: unknown } | undefined)?.mode;
    if (!(Object.values(HubMode) as unknown[]).includes(mode)) throw new HttpError(400, `mode must be one of ${Object.values(HubMode).join(', ')}`);
    const hub = HubRegistry.shared();
    hub.setMode(mode as HubMode);
    return { status: 200, body: hub.health() };
  }
}
