import { WebSocketManager as Mgr, WebSocketManagerMode as Mode } from 'ssot-migrate/canonical';

export const mode = Mode.UNIFIED;
export const make = (): Mgr => new Mgr();
