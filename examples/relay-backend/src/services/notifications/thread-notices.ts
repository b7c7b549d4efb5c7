/** Thread-level notices pushed to the owner's open tabs (sidebar updates). */
import { HubRegistry } from '../../realtime/index.js';
import type { Hub } from '../../compat/socket-hub.js';
import type { RealtimeHubApi } from './hub-api.js';

/** Notices for users who were offline, delivered by the next sync (not by the hub). */
export const undelivered: { userId: string; event: { type: string; [field: string]: unknown } }[] = [];

export function deliver(hub: RealtimeHubApi, userId: string, event: { type: string; [field: string]: unknown }): number {
  if (!hub.isOnline(userId)) {
    undelivered.push({ userId, event });
    return 0;
  }
  return hub.publishToUser(userId, event);
}

export function notifyThreadRenamed(userId: string, threadId: string, title: string): boolean {
  const hub: Hub = HubRegistry.shared();
  return deliver(hub, userId, { type: 'thread_renamed', threadId, title }) > 0;
}
