// Typed errors with a stable `code`, like ws's own errors: callers branch on `code`, never on text.

export type CanonicalErrorCode =
  | 'ERR_INVALID_CONTEXT'
  | 'ERR_CROSS_USER'
  | 'ERR_EVENT_ORDER'
  | 'ERR_INVALID_EVENT'
  | 'ERR_INVALID_MESSAGE'
  | 'ERR_AUTH'
  | 'ERR_DUPLICATE_CONNECTION'
  | 'ERR_HUB_CLOSED'
  | 'ERR_BUS_UNAVAILABLE';

export class CanonicalError extends Error {
  readonly code: CanonicalErrorCode;
  constructor(code: CanonicalErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A UserExecutionContext field is missing, blank or a placeholder id. */
export class InvalidContextError extends CanonicalError {
  readonly field: string;
  constructor(field: string, reason: string) {
    super('ERR_INVALID_CONTEXT', `invalid UserExecutionContext.${field}: ${reason}`);
    this.field = field;
  }
}

/** A manager scoped to one user was asked to reach another user (or another user's run). */
export class CrossUserAccessError extends CanonicalError {
  readonly scopedUserId: string;
  readonly requestedUserId: string;
  constructor(scopedUserId: string, requestedUserId: string, what = 'address') {
    super(
      'ERR_CROSS_USER',
      `manager scoped to user "${scopedUserId}" may not ${what} user "${requestedUserId}"`,
    );
    this.scopedUserId = scopedUserId;
    this.requestedUserId = requestedUserId;
  }
}

/** The run's lifecycle forbids this event now (see lifecycle.ts for the rules). */
export class EventOrderError extends CanonicalError {
  readonly runId: string;
  readonly eventType: string;
  constructor(runId: string, eventType: string, reason: string) {
    super('ERR_EVENT_ORDER', `run "${runId}": ${eventType} refused: ${reason}`);
    this.runId = runId;
    this.eventType = eventType;
  }
}

/** An event's type is not one of the five, or a required field is missing / of the wrong type. */
export class InvalidEventError extends CanonicalError {
  readonly eventType: string;
  constructor(eventType: string, reason: string) {
    super('ERR_INVALID_EVENT', `event "${eventType}": ${reason}`);
    this.eventType = eventType;
  }
}

/** A message for sendToUser / sendToThread is not a JSON object, or uses a reserved type. */
export class InvalidMessageError extends CanonicalError {
  constructor(reason: string) {
    super('ERR_INVALID_MESSAGE', `invalid message: ${reason}`);
  }
}

/**
 * A connection attempt failed authentication or authorization; carries the documented refusal.
 * `reason` is what the client is told — generic ("unauthorized", "forbidden", "bad request"),
 * never which check failed; `detail` (also the error message) is for the server's log only.
 */
export class AuthError extends CanonicalError {
  readonly closeCode: number;
  readonly httpStatus: number;
  readonly reason: string;
  readonly detail: string;
  constructor(closeCode: number, httpStatus: number, reason: string, detail: string = reason) {
    super('ERR_AUTH', detail);
    this.closeCode = closeCode;
    this.httpStatus = httpStatus;
    this.reason = reason;
    this.detail = detail;
  }
}

export class HubClosedError extends CanonicalError {
  constructor() {
    super('ERR_HUB_CLOSED', 'the connection hub is closed');
  }
}

/** addConnection was given a connectionId that is already registered. */
export class DuplicateConnectionError extends CanonicalError {
  readonly connectionId: string;
  constructor(connectionId: string) {
    super('ERR_DUPLICATE_CONNECTION', `connection "${connectionId}" is already registered`);
    this.connectionId = connectionId;
  }
}
