import { InvalidEventError } from './errors.js';

/** The five events a user must see for every agent run, in lifecycle order. */
export const CRITICAL_EVENT_TYPES = [
  'agent_started',
  'agent_thinking',
  'tool_executing',
  'tool_completed',
  'agent_completed',
] as const;

export type CriticalEventType = (typeof CRITICAL_EVENT_TYPES)[number];

/** Required fields per event type; extra fields are allowed and travel with the event. */
export interface CriticalEventData {
  agent_started: { agentName: string; [extra: string]: unknown };
  agent_thinking: { reasoning: string; [extra: string]: unknown };
  tool_executing: { toolName: string; parameters: Record<string, unknown>; [extra: string]: unknown };
  tool_completed: { toolName: string; results: unknown; durationMs: number; [extra: string]: unknown };
  agent_completed: { status: string; finalResponse: unknown; [extra: string]: unknown };
}

/** Routing and ordering fields the manager adds; `seq` is gapless per run from 1, `ts` is epoch ms. */
export interface EnvelopeHeader<T extends CriticalEventType = CriticalEventType> {
  type: T;
  runId: string;
  threadId: string;
  userId: string;
  seq: number;
  ts: number;
}

/** A delivered event: header plus its data. Distributes over T, so `type` discriminates. */
export type EventEnvelope<T extends CriticalEventType = CriticalEventType> = T extends CriticalEventType
  ? EnvelopeHeader<T> & CriticalEventData[T]
  : never;

/** Header keys that event data may not set (they would spoof routing or ordering). */
export const RESERVED_ENVELOPE_KEYS: readonly string[] = Object.freeze(['type', 'runId', 'threadId', 'userId', 'seq', 'ts']);

export function isCriticalEventType(value: unknown): value is CriticalEventType {
  return typeof value === 'string' && (CRITICAL_EVENT_TYPES as readonly string[]).includes(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function nonEmptyString(v: unknown): boolean {
  return typeof v === 'string' && v.trim().length > 0;
}

type FieldRule = [field: string, check: (v: unknown) => boolean, expected: string];

const REQUIRED_FIELDS: { [K in CriticalEventType]: FieldRule[] } = {
  agent_started: [['agentName', nonEmptyString, 'a non-empty string']],
  agent_thinking: [['reasoning', (v) => typeof v === 'string', 'a string']],
  tool_executing: [
    ['toolName', nonEmptyString, 'a non-empty string'],
    ['parameters', isPlainObject, 'an object'],
  ],
  tool_completed: [
    ['toolName', nonEmptyString, 'a non-empty string'],
    ['results', (v) => v !== undefined, 'present (null allowed)'],
    ['durationMs', (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0, 'a finite number >= 0'],
  ],
  agent_completed: [
    ['status', nonEmptyString, 'a non-empty string'],
    ['finalResponse', (v) => v !== undefined, 'present (null allowed)'],
  ],
};

/**
 * Checks an event's type and required fields and that its data is JSON-serialisable;
 * throws InvalidEventError naming the first problem.
 */
export function validateEventData<T extends CriticalEventType>(
  eventType: unknown,
  data: unknown,
): asserts data is CriticalEventData[T] {
  serialiseEventData(eventType, data);
}

/**
 * validateEventData that also returns the data's JSON: the emit path serialises each event's
 * data exactly once and splices it into the envelope's JSON (envelopeJson) instead of
 * serialising the envelope again.
 */
export function serialiseEventData(eventType: unknown, data: unknown): string {
  if (!isCriticalEventType(eventType)) {
    throw new InvalidEventError(String(eventType), `type must be one of ${CRITICAL_EVENT_TYPES.join(', ')}`);
  }
  if (!isPlainObject(data)) throw new InvalidEventError(eventType, 'data must be a plain object');
  for (const key of RESERVED_ENVELOPE_KEYS) {
    if (key in data) throw new InvalidEventError(eventType, `data may not set the envelope field "${key}"`);
  }
  // A toJSON would replace the whole envelope (header included) when it is serialised.
  if (Object.prototype.hasOwnProperty.call(data, 'toJSON')) throw new InvalidEventError(eventType, 'data may not define "toJSON"');
  for (const [field, check, expected] of REQUIRED_FIELDS[eventType]) {
    if (!check(data[field])) throw new InvalidEventError(eventType, `"${field}" must be ${expected}`);
  }
  let json: string;
  try {
    json = JSON.stringify(data);
  } catch (err) {
    throw new InvalidEventError(eventType, `data is not JSON-serialisable (${(err as Error).message})`);
  }
  return json;
}

/**
 * The JSON of buildEnvelope(header, data) given `dataJson` = serialiseEventData(type, data):
 * the header's keys first, then the data's, without serialising the data a second time.
 * (Equal as JSON to JSON.stringify(buildEnvelope(...)); only integer-like data keys, which
 * an object would enumerate first, may come out in a different order.)
 */
export function envelopeJson(header: EnvelopeHeader, dataJson: string): string {
  const head =
    `{"type":"${header.type}","runId":${JSON.stringify(header.runId)},"threadId":${JSON.stringify(header.threadId)},` +
    `"userId":${JSON.stringify(header.userId)},"seq":${JSON.stringify(header.seq)},"ts":${JSON.stringify(header.ts)}`;
  return dataJson === '{}' ? `${head}}` : `${head},${dataJson.slice(1)}`;
}

/** Builds the envelope: header keys first for readability, and applied last so data can never override them. */
export function buildEnvelope<T extends CriticalEventType>(
  header: EnvelopeHeader<T>,
  data: CriticalEventData[T],
): EventEnvelope<T> {
  // Header fields first (readable frames), data after, header re-assigned last so data can
  // never override it. One spread instead of three: this runs once per delivered event.
  const e: Record<string, unknown> = { type: header.type, runId: header.runId, threadId: header.threadId, userId: header.userId, seq: header.seq, ts: header.ts, ...data };
  e.type = header.type;
  e.runId = header.runId;
  e.threadId = header.threadId;
  e.userId = header.userId;
  e.seq = header.seq;
  e.ts = header.ts;
  return e as unknown as EventEnvelope<T>;
}

/** True if a parsed frame looks like an event envelope (used by the client). */
export function isEventEnvelope(value: unknown): value is EventEnvelope {
  if (!isPlainObject(value)) return false;
  return (
    isCriticalEventType(value.type) &&
    typeof value.runId === 'string' &&
    typeof value.userId === 'string' &&
    typeof value.threadId === 'string' &&
    Number.isInteger(value.seq) &&
    (value.seq as number) >= 1 &&
    typeof value.ts === 'number'
  );
}

export { isPlainObject };
