import { readFileSync } from "node:fs"
import { UnifiedWebSocketManager, WebSocketManagerMode, NoSuchThing, getWebSocketManager } from "../websocket_core/unified_manager"

export const all = [UnifiedWebSocketManager, WebSocketManagerMode, NoSuchThing, getWebSocketManager, readFileSync]
