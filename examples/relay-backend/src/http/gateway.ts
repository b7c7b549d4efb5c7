/**
 * WebSocket upgrades land here: the ws server authenticates the upgrade request, then hands
 * us the user and the socket.
 */
import RealtimeHub, { type Socket } from '../realtime/hub.js';
import { HubRegistry } from '../realtime/registry.js';
import type { RealtimeHubApi } from '../contracts/realtime-hub.js';
import type { HttpRequest } from './types.js';

export function acceptSocket(req: Pick<HttpRequest, 'user' | 'headers'>, socket: Socket, hub: RealtimeHubApi = HubRegistry.shared()): string {
  return hub.attach(req.user.id, socket);
}

export function dropSocket(connectionId: string, hub: RealtimeHub = HubRegistry.shared()): boolean {
  return hub.detach(connectionId);
}
