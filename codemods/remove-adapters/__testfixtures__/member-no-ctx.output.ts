import type { Hub } from '../legacy/hub.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

export function remind(hub: Hub, ctx: UserExecutionContext): void {
  void createWebSocketManager(ctx).sendToUser(ctx.userId, { type: 'notice', text: 'reminder' }).catch((error: unknown) => console.error(error));
}

/** A method of an object literal: no caller can be given a context, so this one stays for a person. */
export const reminders = {
  remind(hub: Hub, userId: string): void {
    // TODO(ssot)[Hub.notify]: Hub.notify becomes canonical code that needs the request's context: no value of type UserExecutionContext in scope, and threading it stops at a boundary: hub.notify() at src/app/member-no-ctx.ts:10 → remind (src/app/member-no-ctx.ts:9) → boundary: method remind of an object literal
    hub.notify(userId, 'reminder');
  },
};
