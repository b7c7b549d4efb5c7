export let manager: import('ssot-migrate/canonical').WebSocketManager | undefined;
export type Mode = import('ssot-migrate/canonical').WebSocketManagerMode;
