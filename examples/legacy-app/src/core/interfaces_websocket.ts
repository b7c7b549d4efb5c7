/**
 * Port of netra_backend/app/core/interfaces_websocket.py: a SECOND, smaller
 * WebSocketManagerProtocol with three methods that no manager implements as written
 * (the real manager has no sendMessage(userId, ...) nor broadcastMessage returning a count).
 */
export interface WebSocketManagerProtocol {
  sendMessage(userId: string, message: Record<string, unknown>): Promise<boolean>;
  broadcastMessage(message: Record<string, unknown>): Promise<number>;
  getConnectionCount(): number;
}

export interface WebSocketConnectionProtocol {
  readonly connectionId: string;
  send(data: string): void;
}

export abstract class WebSocketEventHandler {
  abstract handle(eventType: string, payload: Record<string, unknown>): Promise<void>;
}

export { WebSocketEventHandler as WebSocketServiceInterface };

export const WebSocketEventTypes = {
  AGENT_STARTED: 'agent_started',
  AGENT_THINKING: 'agent_thinking',
  TOOL_EXECUTING: 'tool_executing',
  TOOL_COMPLETED: 'tool_completed',
  AGENT_COMPLETED: 'agent_completed',
} as const;
