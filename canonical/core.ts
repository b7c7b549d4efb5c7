/**
 * ssot-migrate/canonical/core: the manager, the hub, contexts, events, errors and the in-memory
 * bus; no server, auth, wire frames, client or Redis. Strangle's facades import this entry, so a
 * user's type check pays for these declarations only, not for ws, jose or ioredis types.
 */

export { createUserExecutionContext, isUserExecutionContext, PLACEHOLDER_IDS } from './context.js';
export type { UserExecutionContext, UserExecutionContextInput } from './context.js';

export { WebSocketManagerMode } from './mode.js';

export { WEB_SOCKET_MANAGER_PROTOCOL_METHODS, missingProtocolMethods } from './protocol.js';
export type {
  WebSocketManagerProtocol,
  SocketLike,
  WebSocketConnection,
  ConnectionHealth,
  ConnectionHealthEntry,
  OutboundMessage,
} from './protocol.js';

export { CRITICAL_EVENT_TYPES, isCriticalEventType, isEventEnvelope, validateEventData } from './events.js';
export type { CriticalEventType, CriticalEventData, EventEnvelope, EnvelopeHeader } from './events.js';

export { RunLifecycle } from './lifecycle.js';
export type { RunPhase } from './lifecycle.js';

export {
  CanonicalError,
  InvalidContextError,
  CrossUserAccessError,
  EventOrderError,
  InvalidEventError,
  InvalidMessageError,
  DuplicateConnectionError,
  AuthError,
  HubClosedError,
} from './errors.js';
export type { CanonicalErrorCode } from './errors.js';

export { CLOSE_CODES, ERROR_FRAME_CODES, TERMINAL_CLOSE_CODES, closeCodesMarkdown } from './close-codes.js';
export type { CloseCodeEntry, CloseCodeName, ErrorFrameCode } from './close-codes.js';

export { ConnectionHub, createConnectionHub, getDefaultHub, setDefaultHub } from './hub.js';
export type { ConnectionHubOptions, HubStats, EmitCache } from './hub.js';

export { hubOperations } from './privileged.js';
export type { HubOperations, HubOperationsOptions, HubHealthReport, ConnectOptions } from './privileged.js';

export { createWebSocketManager } from './manager.js';
export type { ScopedWebSocketManager, WebSocketManagerOptions } from './manager.js';

export { ReplayBuffer, FRAME_OVERHEAD_BYTES } from './replay.js';
export type { ReplayBufferOptions, AppendedFrame } from './replay.js';

export { MemoryBus, createMemoryBus } from './bus/memory.js';
export type { MemoryBusOptions } from './bus/memory.js';
export { isThenable, frameString } from './bus/types.js';
export type {
  Bus,
  BusDelivery,
  BusListener,
  PublishEventInput,
  RunSlot,
  ReplayResult,
  UserReplay,
  LostRun,
  StoredFrame,
  FrameText,
  StreamPosition,
  MaybePromise,
} from './bus/types.js';
