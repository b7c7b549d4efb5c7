import type { HubApi } from '../legacy/hub.js';
import { hubOperations } from 'ssot-migrate/canonical';

export function notify(api: HubApi, userId: string): number {
  const hub = hubOperations();
  return hub.isOnline(userId) ? hub.sendToUser(userId, { type: 'notice' }) : 0;
}
