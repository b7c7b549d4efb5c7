import { WebSocketManagerMode } from "ssot-migrate/canonical";

export const mode = WebSocketManagerMode.UNIFIED;
