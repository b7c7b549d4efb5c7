// Everything realtime, from one place.
export * from './hub.js';
export { HubRegistry } from './registry.js';
export { RunEventPusher, RunEvents } from './pusher.js';
export type { RunEventType } from './pusher.js';
