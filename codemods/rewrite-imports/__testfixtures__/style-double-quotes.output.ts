import { readFileSync } from "node:fs"
import { NoSuchThing } from "../websocket_core/unified_manager"
import { WebSocketManager, WebSocketManagerMode, createWebSocketManager } from "ssot-migrate/canonical"

export const all = [WebSocketManager, WebSocketManagerMode, NoSuchThing, createWebSocketManager, readFileSync]
