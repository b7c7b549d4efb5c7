/**
 * Port of websocket_core/protocols.py (as of 2025-09-08): the "canonical" protocol with the
 * 11 operations, its validator, and LegacyWebSocketManagerAdapter, a pure forwarder kept
 * for code that predates the protocol.
 */
import type {
  ConnectionHealth,
  LegacyMessage,
  SocketLike,
  WebSocketConnection,
} from './unified_manager.js';

export interface WebSocketManagerProtocol {
  addConnection(connection: WebSocketConnection): Promise<void>;
  removeConnection(connectionId: string): Promise<void>;
  getConnection(connectionId: string): WebSocketConnection | undefined;
  getUserConnections(userId: string): Set<string>;
  isConnectionActive(userId: string): boolean;
  getConnectionIdByWebSocket(socket: SocketLike): string | undefined;
  updateConnectionThread(connectionId: string, threadId: string): boolean;
  sendToUser(userId: string, message: LegacyMessage): Promise<void>;
  emitCriticalEvent(userId: string, eventType: string, data: LegacyMessage): Promise<void>;
  getConnectionHealth(userId: string): ConnectionHealth;
  sendToThread(threadId: string, message: LegacyMessage): Promise<boolean>;
}

export const PROTOCOL_METHODS = [
  'addConnection',
  'removeConnection',
  'getConnection',
  'getUserConnections',
  'isConnectionActive',
  'getConnectionIdByWebSocket',
  'updateConnectionThread',
  'sendToUser',
  'emitCriticalEvent',
  'getConnectionHealth',
  'sendToThread',
] as const;

export interface ProtocolValidationResult {
  compliant: boolean;
  managerType: string;
  missingMethods: string[];
  protocolVersion: '1.0.0';
  validationTimestamp: string;
}

export class WebSocketManagerProtocolValidator {
  static validateManagerProtocol(manager: unknown): ProtocolValidationResult {
    const target = (manager ?? {}) as Record<string, unknown>;
    const missingMethods = PROTOCOL_METHODS.filter((name) => typeof target[name] !== 'function');
    return {
      compliant: missingMethods.length === 0,
      managerType: (manager as { constructor?: { name?: string } } | null)?.constructor?.name ?? typeof manager,
      missingMethods,
      protocolVersion: '1.0.0',
      validationTimestamp: new Date().toISOString(),
    };
  }

  static requireProtocolCompliance(manager: unknown, errorContext = 'WebSocket Manager'): void {
    const result = WebSocketManagerProtocolValidator.validateManagerProtocol(manager);
    if (!result.compliant) {
      throw new TypeError(`${errorContext} does not implement WebSocketManagerProtocol: missing ${result.missingMethods.join(', ')}`);
    }
  }
}

/** Forwards all 11 operations to the wrapped manager (constructor argument 0). */
export class LegacyWebSocketManagerAdapter implements WebSocketManagerProtocol {
  constructor(private readonly typedManager: WebSocketManagerProtocol) {}

  addConnection(connection: WebSocketConnection): Promise<void> {
    return this.typedManager.addConnection(connection);
  }
  removeConnection(connectionId: string): Promise<void> {
    return this.typedManager.removeConnection(connectionId);
  }
  getConnection(connectionId: string): WebSocketConnection | undefined {
    return this.typedManager.getConnection(connectionId);
  }
  getUserConnections(userId: string): Set<string> {
    return this.typedManager.getUserConnections(userId);
  }
  isConnectionActive(userId: string): boolean {
    return this.typedManager.isConnectionActive(userId);
  }
  getConnectionIdByWebSocket(socket: SocketLike): string | undefined {
    return this.typedManager.getConnectionIdByWebSocket(socket);
  }
  updateConnectionThread(connectionId: string, threadId: string): boolean {
    return this.typedManager.updateConnectionThread(connectionId, threadId);
  }
  sendToUser(userId: string, message: LegacyMessage): Promise<void> {
    return this.typedManager.sendToUser(userId, message);
  }
  emitCriticalEvent(userId: string, eventType: string, data: LegacyMessage): Promise<void> {
    return this.typedManager.emitCriticalEvent(userId, eventType, data);
  }
  getConnectionHealth(userId: string): ConnectionHealth {
    return this.typedManager.getConnectionHealth(userId);
  }
  sendToThread(threadId: string, message: LegacyMessage): Promise<boolean> {
    return this.typedManager.sendToThread(threadId, message);
  }
}

/** In the original this once built a LegacyWebSocketManagerAdapter; it now returns the manager unchanged. */
export function adaptManagerForLegacyCode<T>(manager: T): T {
  return manager;
}
