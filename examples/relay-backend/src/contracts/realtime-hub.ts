/**
 * The hub's contract, for code that wants to accept "a hub" without depending on the class
 * (and for plugin authors). Keep in sync with realtime/hub.ts.
 */
import type { HubEvent, HubHealth, Socket } from '../realtime/hub.js';

export interface RealtimeHubApi {
  attach(userId: string, socket: Socket): string;
  detach(connectionId: string): boolean;
  publishToUser(userId: string, event: HubEvent): number;
  broadcastAll(event: HubEvent): number;
  listConnectedUsers(): string[];
  connectionCount(userId?: string): number;
  isOnline(userId: string): boolean;
  health(): HubHealth;
}
