/**
 * JSON text of a large value without building it as one string: V8 caps a string at ~512 MiB,
 * and `JSON.stringify(v, null, 2)` of a big report (an inventory of a 20,000-file repo) throws
 * `RangeError: Invalid string length` before anything is written. The text is produced piece by
 * piece and gathered as bytes.
 *
 * Default output is byte-identical to `JSON.stringify(value, null, indent)`. With `flatRecords`,
 * an array's element that is an object of scalar values only (a site record) is written on one
 * line, compact: still valid JSON with the same schema, a third smaller, and one record per line
 * in a diff.
 */

export interface JsonTextOptions {
  /** Spaces per level (JSON.stringify's third argument); 2 unless told. */
  indent?: number;
  /** Write an array element that is an object of scalars on one line (`{"a":1,"b":"x"}`). */
  flatRecords?: boolean;
}

// JSON.stringify's own rules for what a value becomes: toJSON, and what is left out.
function prepare(key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') return (value as { toJSON(k: string): unknown }).toJSON(key);
  return value;
}

const omitted = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

function isFlatRecord(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  for (const x of Object.values(v)) if (x !== null && typeof x === 'object') return false;
  return true;
}

/** The JSON text of `value` as pieces, in order; their concatenation is the document. */
export function* jsonPieces(value: unknown, opts: JsonTextOptions = {}): Generator<string> {
  const step = ' '.repeat(Math.min(10, Math.max(0, Math.floor(opts.indent ?? 2))));
  // indent 0 is JSON.stringify's compact form: no line breaks, no space after the colon
  const nl = step ? '\n' : '';
  const colon = step ? ': ' : ':';
  function* walk(v: unknown, pad: string, inArray: boolean): Generator<string> {
    if (v === null || typeof v !== 'object') {
      yield JSON.stringify(v) ?? 'null';
      return;
    }
    if (inArray && opts.flatRecords && isFlatRecord(v)) {
      yield JSON.stringify(v);
      return;
    }
    const inner = pad + step;
    if (Array.isArray(v)) {
      if (v.length === 0) {
        yield '[]';
        return;
      }
      yield '[';
      for (let i = 0; i < v.length; i++) {
        yield `${i ? ',' : ''}${nl}${inner}`;
        const x = prepare(String(i), v[i]);
        if (omitted(x)) yield 'null';
        else yield* walk(x, inner, true);
      }
      yield `${nl}${pad}]`;
      return;
    }
    let first = true;
    for (const [k, raw] of Object.entries(v)) {
      const x = prepare(k, raw);
      if (omitted(x)) continue;
      yield `${first ? '{' : ','}${nl}${inner}${JSON.stringify(k)}${colon}`;
      first = false;
      yield* walk(x, inner, false);
    }
    yield first ? '{}' : `${nl}${pad}}`;
  }
  const top = prepare('', value);
  if (omitted(top)) return;
  yield* walk(top, '', false);
}

/** Pieces gathered into strings of about this many characters before each becomes bytes. */
const BATCH = 1 << 20;

/** The JSON text of `value` (plus `suffix`) as UTF-8 bytes; no string longer than ~1 MiB is built. */
export function jsonBytes(value: unknown, opts: JsonTextOptions = {}, suffix = ''): Buffer {
  const parts: Buffer[] = [];
  let pending: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (pending.length) parts.push(Buffer.from(pending.join(''), 'utf8'));
    pending = [];
    size = 0;
  };
  for (const p of jsonPieces(value, opts)) {
    pending.push(p);
    size += p.length;
    if (size >= BATCH) flush();
  }
  pending.push(suffix);
  flush();
  return Buffer.concat(parts);
}
