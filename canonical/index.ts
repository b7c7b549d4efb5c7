// Public surface of canonical/ (package export "ssot-migrate/canonical").

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

export { createWebSocketServer } from './server.js';
export type { WebSocketServerOptions, CanonicalWebSocketServer, UpgradeRefusal } from './server.js';

export { safeText, closeReason, MAX_CLOSE_REASON_BYTES } from './safe-text.js';

export { createTokenVerifier, mintToken, parseProtocolHeader, tokenFromProtocols, checkOrigin, REFUSAL_REASONS } from './auth.js';
export type { JwtAuthOptions, VerifiedToken, VerifyKey, MintTokenOptions, OriginPolicy, TokenVerifier } from './auth.js';

export { SUBPROTOCOL, TOKEN_PROTOCOL_PREFIX, CLIENT_FRAME_TYPES, EPOCH_PATTERN, tokenProtocols } from './wire.js';
export type {
  ClientFrame,
  ResumeFrame,
  ResumeStreamFrame,
  ResumeRunsFrame,
  RunGapFrame,
  StreamGapFrame,
  LostRunEntry,
  StreamResumeCompleteFrame,
  RunsResumeCompleteFrame,
  EventConfirmationFrame,
  PingFrame,
  BindThreadFrame,
  ServerFrame,
  ServerControlFrame,
  ConnectionEstablishedFrame,
  ReplayGapFrame,
  ResumeCompleteFrame,
  ErrorFrame,
  PongFrame,
  ConfirmationReceivedFrame,
  ThreadBoundFrame,
} from './wire.js';

export { connectClient, ClientConnectError } from './client.js';
export type { SsotClient, ClientOptions, ClientEvents, ClientPosition, DisconnectInfo, ReconnectOptions, WebSocketLike, WebSocketConstructor } from './client.js';
export { RedisBus, createRedisBus, createBusFromEnv, BusUnavailableError } from './bus/redis.js';
export type { RedisBusOptions, RedisBusStats, BusUnavailableReason } from './bus/redis.js';
