import { WebSocketManager } from "ssot-migrate/canonical";

// windows file
export const m = new WebSocketManager();
