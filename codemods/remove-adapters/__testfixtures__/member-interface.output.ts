import type { HubApi } from '../legacy/hub.js';
import { hubOperations } from 'ssot-migrate/canonical';

export function notify(api: HubApi, userId: string): number {
  return hubOperations().isOnline(userId) ? hubOperations().sendToUser(userId, { type: 'notice' }) : 0;
}
