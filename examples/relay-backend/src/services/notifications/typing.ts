/** The "assistant is typing…" indicator: on now, off after a quiet period. */
import { HubRegistry as Registry } from '@realtime/registry.js';
import { readRuntimeConfig } from '../../config/runtime.js';

const timers = new Map<string, NodeJS.Timeout>();

export function showTyping(userId: string, threadId: string, forMs: number = readRuntimeConfig().typingMs): void {
  Registry.shared().publishToUser(userId, { type: 'typing', threadId, on: true });
  const key = `${userId}:${threadId}`;
  clearTimeout(timers.get(key));
  const timer = setTimeout(() => {
    timers.delete(key);
    Registry.shared().publishToUser(userId, { type: 'typing', threadId, on: false });
  }, forMs);
  timer.unref();
  timers.set(key, timer);
}
