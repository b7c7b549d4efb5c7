// Public surface of canonical/ (package export "ssot-migrate/canonical"): the core entry
// (package export "ssot-migrate/canonical/core") plus the network side.
export * from './core.js';

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
