/**
 * relay-backend's public API (package.json "exports": "."): the other services of the
 * monorepo import this to reach users in real time. Changing a signature here is a breaking
 * change for them.
 */
import * as realtime from '../realtime/index.js';

export type { ClientSocket } from '../compat/socket-hub.js';
export type { RequestScope } from '../services/request-scope.js';
// The web client switches on these names.
export { RUN_EVENT_TYPES, isRunEvent, type RunEventType } from '../agents/run-events.js';
export { createApp } from '../http/app.js';
export { acceptSocket, dropSocket } from '../http/gateway.js';

/** A toast in every open tab of the user. Returns how many tabs got it. */
export function notifyUser(userId: string, text: string, level: 'info' | 'warning' = 'info'): number {
  return realtime.HubRegistry.shared().publishToUser(userId, { type: 'notice', level, text });
}

export function isUserOnline(userId: string): boolean {
  return realtime.HubRegistry.shared().isOnline(userId);
}

export function onlineUsers(): string[] {
  return realtime.HubRegistry.shared().listConnectedUsers();
}
