import { WebSocketManager, WebSocketManager as WebSocketManager2 } from "ssot-migrate/canonical";

export const a = new WebSocketManager();
export const b = new WebSocketManager2();
