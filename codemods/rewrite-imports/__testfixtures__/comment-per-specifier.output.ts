import {
  // the class itself
  WebSocketManager, // why we need UnifiedWebSocketManager
  /* the mode enum */ WebSocketManagerMode,
  createWebSocketManager // no trailing comma here
} from 'ssot-migrate/canonical'; // keep this note

export const parts = [WebSocketManager, WebSocketManagerMode, createWebSocketManager];
