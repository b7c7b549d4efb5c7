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

/**
 * Routing and ordering fields the manager adds. `seq` is gapless per run from 1; `offset` is
 * gapless per user stream from 1 (every event of every run of the user, in the order they
 * were appended) and only means something together with `epoch`, the stream's incarnation (a
 * new epoch = the server lost or dropped the stream, offsets start again). `ts` is epoch ms.
 */
export interface EnvelopeHeader<T extends CriticalEventType = CriticalEventType> {
  type: T;
  runId: string;
  threadId: string;
  userId: string;
  seq: number;
  offset: number;
  epoch: string;
  ts: number;
}

/** A delivered event: header plus its data. Distributes over T, so `type` discriminates. */
export type EventEnvelope<T extends CriticalEventType = CriticalEventType> = T extends CriticalEventType
  ? EnvelopeHeader<T> & CriticalEventData[T]
  : never;

/** Header keys that event data may not set (they would spoof routing or ordering). */
export const RESERVED_ENVELOPE_KEYS: readonly string[] = Object.freeze(['type', 'runId', 'threadId', 'userId', 'seq', 'offset', 'epoch', 'ts']);
const RESERVED = new Set(RESERVED_ENVELOPE_KEYS);

export function isCriticalEventType(value: unknown): value is CriticalEventType {
  // A switch, not CRITICAL_EVENT_TYPES.includes: once per emit, and mostly a pointer compare.
  switch (value) {
    case 'agent_started':
    case 'agent_thinking':
    case 'tool_executing':
    case 'tool_completed':
    case 'agent_completed':
      return true;
    default:
      return false;
  }
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
 * The checks of an event's type and fields that need no serialisation (the emit path: the bus
 * serialises each event's data exactly once, into its envelope's JSON — envelopeJsonFrom — and a
 * value that cannot be serialised is refused there, before any seq or offset is used).
 */
export function checkEventFields<T extends CriticalEventType>(eventType: unknown, data: unknown): asserts data is CriticalEventData[T] {
  if (!isCriticalEventType(eventType)) {
    throw new InvalidEventError(String(eventType), `type must be one of ${CRITICAL_EVENT_TYPES.join(', ')}`);
  }
  if (!isPlainObject(data)) throw new InvalidEventError(eventType, 'data must be a plain object');
  // for…in sees own and inherited enumerable keys: everything a spread or JSON.stringify could
  // copy. One pass over the data's few keys is cheaper than eight `in` probes per event.
  for (const key in data) {
    if (RESERVED.has(key)) throw new InvalidEventError(eventType, `data may not set the envelope field "${key}"`);
  }
  // A toJSON would replace the whole envelope (header included) when it is serialised.
  if (Object.prototype.hasOwnProperty.call(data, 'toJSON')) throw new InvalidEventError(eventType, 'data may not define "toJSON"');
  // A function `then` would make the envelope a thenable: awaiting emit() would call it.
  if (typeof data.then === 'function') throw new InvalidEventError(eventType, 'data may not define a "then" function');
  if (requiredFieldsOk(eventType, data)) return;
  for (const [field, check, expected] of REQUIRED_FIELDS[eventType]) {
    if (!check(data[field])) throw new InvalidEventError(eventType, `"${field}" must be ${expected}`);
  }
}

/**
 * REQUIRED_FIELDS as straight-line code with named property reads: the per-event check (the
 * table, with its generic keyed reads, only runs to name the field of a refused event).
 */
function requiredFieldsOk(type: CriticalEventType, d: Record<string, unknown>): boolean {
  switch (type) {
    case 'agent_started':
      return nonEmptyString(d.agentName);
    case 'agent_thinking':
      return typeof d.reasoning === 'string';
    case 'tool_executing':
      return nonEmptyString(d.toolName) && isPlainObject(d.parameters);
    case 'tool_completed':
      return nonEmptyString(d.toolName) && d.results !== undefined && typeof d.durationMs === 'number' && Number.isFinite(d.durationMs) && d.durationMs >= 0;
    case 'agent_completed':
      return nonEmptyString(d.status) && d.finalResponse !== undefined;
    default:
      return false;
  }
}

/** checkEventFields, then the data's JSON (what the buses splice into the envelope's JSON). */
export function serialiseEventData(eventType: unknown, data: unknown): string {
  checkEventFields(eventType, data);
  return dataJsonOf(eventType as CriticalEventType, data);
}

/** The JSON of data that passed checkEventFields; InvalidEventError if it cannot be serialised. */
export function dataJsonOf(eventType: CriticalEventType, data: unknown): string {
  try {
    return JSON.stringify(data);
  } catch (err) {
    throw new InvalidEventError(eventType, `data is not JSON-serialisable (${(err as Error).message})`);
  }
}

/**
 * An envelope's JSON text — the frame as sent. One JSON.stringify of the envelope object: a flat
 * string (no concatenation tree to flatten later), the data serialised exactly once.
 */
export function envelopeText(envelope: EventEnvelope): string {
  try {
    return JSON.stringify(envelope);
  } catch (err) {
    throw new InvalidEventError(envelope.type, `data is not JSON-serialisable (${(err as Error).message})`);
  }
}

/**
 * The part of an envelope's JSON that is the same for every event of a run:
 * `,"runId":…,"threadId":…,"userId":…` (computed once per run, not per event).
 */
export function runIdsJson(runId: string, threadId: string, userId: string): string {
  return runIdsText(runId, threadId, userId).json;
}

/**
 * runIdsJson, and whether that text is all ASCII (its UTF-8 bytes are then its chars): known from
 * the same pass over the ids in the usual case, so a new run's ids are not scanned twice.
 */
export function runIdsText(runId: string, threadId: string, userId: string): { json: string; ascii: boolean } {
  // Ids that JSON writes as they are (printable ASCII, no quote or backslash: the usual case) are
  // joined directly; others go through JSON.stringify. Either way a string kept per run by the stores.
  if (plainJson(runId) && plainJson(threadId) && plainJson(userId)) return { json: `,"runId":"${runId}","threadId":"${threadId}","userId":"${userId}"`, ascii: true };
  const json = `,${JSON.stringify({ runId, threadId, userId }).slice(1, -1)}`;
  return { json, ascii: isAscii(json) };
}

/** True if JSON.stringify(s) is s in quotes: printable ASCII only, no `"` or `\`. */
function plainJson(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/**
 * The JSON of buildEnvelope(header, data) given `dataJson` = serialiseEventData(type, data) and
 * `idsJson` = runIdsJson(runId, threadId, userId): the header's keys first, then the data's,
 * without serialising the data a second time. (Equal as JSON to JSON.stringify(buildEnvelope(...));
 * only integer-like data keys, which an object would enumerate first, may come out in another order.)
 * `epoch` is one of ours (letters, digits, `.`, `_`, `-`), so it needs no escaping.
 */
export function envelopeJsonFrom(type: CriticalEventType, idsJson: string, seq: number, offset: number, epoch: string, ts: number, dataJson: string): string {
  const head = `{"type":"${type}"${idsJson},"seq":${seq},"offset":${offset},"epoch":"${epoch}","ts":${ts}`;
  return dataJson === '{}' ? `${head}}` : `${head},${dataJson.slice(1)}`;
}

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
/** `{"type":"<type>"` per event type, as bytes (the start of every frame of that type). */
const typeHeadOf = (t: CriticalEventType): Uint8Array => ascii(`{"type":"${t}"`);
const STARTED_HEAD = typeHeadOf('agent_started');
const THINKING_HEAD = typeHeadOf('agent_thinking');
const EXECUTING_HEAD = typeHeadOf('tool_executing');
const COMPLETED_HEAD = typeHeadOf('tool_completed');
const DONE_HEAD = typeHeadOf('agent_completed');

/** The type's index in CRITICAL_EVENT_TYPES, by a switch (what the replay store keeps per frame: one byte). */
export function eventTypeCode(type: CriticalEventType): number {
  switch (type) {
    case 'agent_started':
      return 0;
    case 'agent_thinking':
      return 1;
    case 'tool_executing':
      return 2;
    case 'tool_completed':
      return 3;
    case 'agent_completed':
      return 4;
    default:
      throw new InvalidEventError(String(type), `type must be one of ${CRITICAL_EVENT_TYPES.join(', ')}`);
  }
}

/** `{"type":"<type>"` as bytes, by a switch (no hash lookup per frame). */
function typeHead(type: CriticalEventType): Uint8Array {
  switch (type) {
    case 'agent_started':
      return STARTED_HEAD;
    case 'agent_thinking':
      return THINKING_HEAD;
    case 'tool_executing':
      return EXECUTING_HEAD;
    case 'tool_completed':
      return COMPLETED_HEAD;
    case 'agent_completed':
      return DONE_HEAD;
    default:
      throw new InvalidEventError(String(type), `type must be one of ${CRITICAL_EVENT_TYPES.join(', ')}`);
  }
}
const SEQ_KEY = ascii(',"seq":');
const OFFSET_KEY = ascii(',"offset":');
const EPOCH_KEY = ascii(',"epoch":"');
const TS_KEY = ascii('","ts":');

/**
 * Buffer's own per-encoding string writers (what Buffer#write calls after parsing its arguments);
 * not documented, so Buffer#write with the encoding named stands in where a Node lacks them.
 */
type NativeWriters = Buffer & { latin1Write(s: string, at: number): number; utf8Write(s: string, at: number): number };
const proto = Buffer.prototype as Partial<NativeWriters>;
// Taken once and called with .call: `b.latin1Write` read per frame was a generic property load in the
// optimized emit path (Builtins_LoadIC under appendEvent/writeEnvelopeJson in perf: Buffer's
// prototype chain is not one the compiler inlines loads from), a constant function is a direct call.
const nativeLatin1Write = proto.latin1Write;
const nativeUtf8Write = proto.utf8Write;
const writeLatin1: (b: NativeWriters, s: string, at: number) => number =
  typeof nativeLatin1Write === 'function' ? (b, s, at) => nativeLatin1Write.call(b, s, at) : (b, s, at) => b.write(s, at, 'latin1');
const writeUtf8: (b: NativeWriters, s: string, at: number) => number =
  typeof nativeUtf8Write === 'function' ? (b, s, at) => nativeUtf8Write.call(b, s, at) : (b, s, at) => b.write(s, at, 'utf8');

/**
 * Room for writeEnvelopeJson's output: the header's fixed text and three numbers (≤ 24 characters
 * each as JSON), plus the ids and the data at their worst (3 UTF-8 bytes per UTF-16 unit; ASCII ids 1).
 */
export function envelopeJsonRoom(idsJson: string, idsAscii: boolean, epoch: string, dataJson: string): number {
  return 160 + epoch.length + (idsAscii ? idsJson.length : 3 * idsJson.length) + 3 * dataJson.length;
}

/** True if the string is all ASCII (a run's ids, checked once per run: their bytes are then their chars). */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * Writes the UTF-8 bytes of envelopeJsonFrom(type, idsJson, seq, offset, epoch, ts, dataJson) into
 * `buf` at `at` (with envelopeJsonRoom bytes free there) and returns where they end: the same bytes,
 * without building the frame as a string first (no concatenation to flatten, no number strings) —
 * the fixed parts and the numbers written byte by byte, the ids and the data's JSON by one native
 * copy each. `dataJson` must be a JSON object's text; `idsAscii` must be isAscii(idsJson).
 */
export function writeEnvelopeJson(buf: Buffer, at: number, type: CriticalEventType, idsJson: string, idsAscii: boolean, seq: number, offset: number, epoch: string, ts: number, dataJson: string): number {
  return writeEnvelopeData(buf, writeEnvelopeHead(buf, at, type, idsJson, idsAscii, seq, offset, epoch, ts), dataJson);
}

/**
 * The first part of writeEnvelopeJson: the header up to the clock reading's last digit (every key
 * but the data's). Returns where it ends: the frame's data part (writeEnvelopeData) follows there.
 */
export function writeEnvelopeHead(buf: Buffer, at: number, type: CriticalEventType, idsJson: string, idsAscii: boolean, seq: number, offset: number, epoch: string, ts: number): number {
  const b = buf as NativeWriters;
  let p = putBytes(b, at, typeHead(type));
  p += idsAscii ? writeLatin1(b, idsJson, p) : writeUtf8(b, idsJson, p);
  p = putBytes(b, p, SEQ_KEY);
  p = putNumber(b, p, seq);
  p = putBytes(b, p, OFFSET_KEY);
  p = putNumber(b, p, offset);
  p = putBytes(b, p, EPOCH_KEY);
  p = putAscii(b, p, epoch);
  p = putBytes(b, p, TS_KEY);
  return putTs(b, p, ts);
}

/**
 * The rest of writeEnvelopeJson after writeEnvelopeHead's `p`: the data's keys and the closing brace
 * (`}` for empty data, else the data's JSON with its `{` made the joining `,`). Returns the end.
 */
export function writeEnvelopeData(buf: Buffer, p: number, dataJson: string): number {
  const b = buf as NativeWriters;
  if (dataJson.length === 2) {
    b[p] = 0x7d; // data `{}`: the envelope closes
    return p + 1;
  }
  // The data's `{` becomes the `,` that joins it to the header.
  const n = writeUtf8(b, dataJson, p);
  b[p] = 0x2c;
  return p + n;
}

function putBytes(b: Uint8Array, p: number, src: Uint8Array): number {
  for (let i = 0; i < src.length; i++) b[p + i] = src[i]!;
  return p + src.length;
}

function putAscii(b: Uint8Array, p: number, s: string): number {
  for (let i = 0; i < s.length; i++) b[p + i] = s.charCodeAt(i);
  return p + s.length;
}

// The last clock reading's digits: consecutive frames mostly share their millisecond, so its 13
// digits are copied instead of being divided out again.
let lastTs = -1;
const tsDigits = new Uint8Array(32); // String() of any number is at most 24 characters
let tsLength = 0;

function putTs(b: Uint8Array, p: number, ts: number): number {
  if (ts !== lastTs) {
    const end = putNumber(tsDigits, 0, ts);
    tsLength = end;
    lastTs = ts;
  }
  for (let i = 0; i < tsLength; i++) b[p + i] = tsDigits[i]!;
  return p + tsLength;
}

/** A number as JSON writes it: digits by hand for a safe non-negative integer (every seq, offset and clock reading), String() otherwise. */
function putNumber(b: Uint8Array, p: number, n: number): number {
  if (!(n >= 0 && n <= Number.MAX_SAFE_INTEGER && Math.floor(n) === n)) return putAscii(b, p, String(n));
  let digits = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
  let q = p + digits - 1;
  for (let x = n; ; ) {
    const y = Math.floor(x / 10);
    b[q--] = 0x30 + (x - y * 10);
    if (y === 0) break;
    x = y;
  }
  return p + digits;
}

export function envelopeJson(header: EnvelopeHeader, dataJson: string): string {
  return envelopeJsonFrom(header.type, runIdsJson(header.runId, header.threadId, header.userId), header.seq, header.offset, header.epoch, header.ts, dataJson);
}

/**
 * buildEnvelope for data that passed checkEventFields just before, in the same synchronous call (its
 * for…in saw every own and inherited enumerable key, none a header key, so the spread cannot override
 * one): the header is not assigned a second time. Those eight stores hit objects of as many shapes as
 * there are data shapes — megamorphic, ~0.1 µs per event.
 */
export function buildCheckedEnvelope<T extends CriticalEventType>(
  type: T,
  runId: string,
  threadId: string,
  userId: string,
  seq: number,
  offset: number,
  epoch: string,
  ts: number,
  data: CriticalEventData[T],
): EventEnvelope<T> {
  return { type, runId, threadId, userId, seq, offset, epoch, ts, ...data } as unknown as EventEnvelope<T>;
}

/** Builds the envelope: header keys first for readability, and applied last so data can never override them. */
export function buildEnvelope<T extends CriticalEventType>(
  header: EnvelopeHeader<T>,
  data: CriticalEventData[T],
): EventEnvelope<T> {
  // Header fields first (readable frames), data after, header re-assigned last so data can
  // never override it. One spread instead of three: this runs once per delivered event.
  const e: Record<string, unknown> = {
    type: header.type,
    runId: header.runId,
    threadId: header.threadId,
    userId: header.userId,
    seq: header.seq,
    offset: header.offset,
    epoch: header.epoch,
    ts: header.ts,
    ...data,
  };
  e.type = header.type;
  e.runId = header.runId;
  e.threadId = header.threadId;
  e.userId = header.userId;
  e.seq = header.seq;
  e.offset = header.offset;
  e.epoch = header.epoch;
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
    Number.isInteger(value.offset) &&
    (value.offset as number) >= 1 &&
    typeof value.epoch === 'string' &&
    typeof value.ts === 'number'
  );
}

export { isPlainObject };
