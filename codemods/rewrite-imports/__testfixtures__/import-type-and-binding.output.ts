import { WebSocketManager } from 'ssot-migrate/canonical';

// the binding and an import type naming the same export: two edits, one per place
export const make = (): WebSocketManager => new WebSocketManager();
export let held: import('ssot-migrate/canonical').WebSocketManager | undefined;
