import type { HubApi } from '../legacy/hub.js';

export function notify(api: HubApi, userId: string): number {
  return api.isOnline(userId) ? api.publish(userId, { type: 'notice' }) : 0;
}
