/**
 * Old name of the hub, from before the 0.3 rename (SocketHub -> RealtimeHub). Plugins and a
 * few of our own modules still import it from here.
 * @deprecated import { RealtimeHub } from '../realtime/hub.js'
 */
import type { RealtimeHub } from '../realtime/hub.js';

export { RealtimeHub as SocketHub, RealtimeHub } from '../realtime/hub.js';
export type { Socket as ClientSocket, HubEvent as SocketHubEvent } from '../realtime/hub.js';

/** Shorthand some handlers use in signatures. */
export type Hub = RealtimeHub;
