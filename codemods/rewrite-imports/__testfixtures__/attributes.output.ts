import { WebSocketManager } from 'ssot-migrate/canonical' with { type: 'module-hint' };
export { WebSocketManagerMode } from 'ssot-migrate/canonical' with { type: 'module-hint' };

export const m = new WebSocketManager();
