import type { Hub } from '../legacy/hub.js';

export function remind(hub: Hub, userId: string): void {
  hub.notify(userId, 'reminder');
}

/** A method of an object literal: no caller can be given a context, so this one stays for a person. */
export const reminders = {
  remind(hub: Hub, userId: string): void {
    hub.notify(userId, 'reminder');
  },
};
