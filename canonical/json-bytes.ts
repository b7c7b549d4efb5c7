/**
 * JSON written as UTF-8 bytes straight into a buffer, for the replay store's frames: the same bytes
 * as `JSON.stringify(value)` encoded as UTF-8, without building the string first. JSON.stringify of
 * an event's data was the largest single cost of an emit on the memory bus (its string is only ever
 * copied into the store's chunk), so plain data — plain objects and arrays, strings, finite and
 * non-finite numbers, booleans, null, and what JSON omits (undefined, functions, symbols) — is
 * written here by hand; anything else (a toJSON, a class instance, a Map, a bigint, a cycle, very
 * deep nesting) makes the writer give up (-1), and the caller serialises with JSON.stringify as
 * before, so the result is always JSON.stringify's.
 */

/** Nesting beyond this gives up (JSON.stringify then reports a cycle, or serialises the deep value). */
const MAX_DEPTH = 32;
/** Bytes a value other than a string or a container may take at most (a number's text is ≤ 24). */
const SCALAR_ROOM = 32;
const HEX = [0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66];

/**
 * Writes the members of the plain object `obj` as they follow an object's opening brace in
 * JSON.stringify(obj) — `,"key":value` for each (a leading comma) — then the closing `}`, at `p`;
 * returns where they end, or -1 if the writer gives up (see above) or would pass `limit`.
 */
export function writeJsonMembers(b: Uint8Array, p: number, limit: number, obj: object): number {
  const proto = Object.getPrototypeOf(obj);
  if ((proto !== Object.prototype && proto !== null) || Array.isArray(obj) || typeof (obj as { toJSON?: unknown }).toJSON === 'function') return -1;
  p = members(b, p, limit, obj as Record<string, unknown>, 0);
  if (p < 0 || p >= limit) return -1;
  b[p] = 0x7d;
  return p + 1;
}

/** `,"key":value` per own enumerable member that JSON keeps, in JSON.stringify's order. */
function members(b: Uint8Array, p: number, limit: number, obj: Record<string, unknown>, depth: number): number {
  // for…in enumerates own keys in JSON.stringify's order (integer-like keys first, then insertion
  // order); the own-key check drops what an object inherits.
  for (const key in obj) {
    if (!Object.prototype.hasOwnProperty.call(obj, key)) continue;
    const v = obj[key];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    if (p >= limit) return -1;
    b[p++] = 0x2c;
    p = putString(b, p, limit, key);
    if (p < 0 || p >= limit) return -1;
    b[p++] = 0x3a;
    p = value(b, p, limit, v, depth);
    if (p < 0) return -1;
  }
  return p;
}

function value(b: Uint8Array, p: number, limit: number, v: unknown, depth: number): number {
  switch (typeof v) {
    case 'string':
      return putString(b, p, limit, v);
    case 'number':
      if (p + SCALAR_ROOM > limit) return -1;
      return Number.isFinite(v) ? putNumber(b, p, v) : putAscii(b, p, 'null');
    case 'boolean':
      if (p + SCALAR_ROOM > limit) return -1;
      return putAscii(b, p, v ? 'true' : 'false');
    case 'object':
      if (v === null) {
        if (p + SCALAR_ROOM > limit) return -1;
        return putAscii(b, p, 'null');
      }
      return container(b, p, limit, v, depth + 1);
    default:
      return -1; // bigint (JSON.stringify throws)
  }
}

function container(b: Uint8Array, p: number, limit: number, v: object, depth: number): number {
  if (depth > MAX_DEPTH || p + 2 > limit) return -1;
  const proto = Object.getPrototypeOf(v);
  if (Array.isArray(v)) {
    if (proto !== Array.prototype || typeof (v as { toJSON?: unknown }).toJSON === 'function') return -1;
    b[p++] = 0x5b;
    const n = v.length;
    for (let i = 0; i < n; i++) {
      if (i > 0) {
        if (p >= limit) return -1;
        b[p++] = 0x2c;
      }
      const item: unknown = v[i];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') {
        if (p + SCALAR_ROOM > limit) return -1;
        p = putAscii(b, p, 'null');
      } else {
        p = value(b, p, limit, item, depth);
        if (p < 0) return -1;
      }
    }
    if (p >= limit) return -1;
    b[p] = 0x5d;
    return p + 1;
  }
  if ((proto !== Object.prototype && proto !== null) || typeof (v as { toJSON?: unknown }).toJSON === 'function') return -1;
  const start = p;
  p = members(b, p, limit, v as Record<string, unknown>, depth);
  if (p < 0 || p >= limit) return -1;
  // The first member's comma becomes the opening brace; no member: `{}`.
  if (p === start) b[p++] = 0x7b;
  else b[start] = 0x7b;
  if (p >= limit) return -1;
  b[p] = 0x7d;
  return p + 1;
}

/** A string as JSON.stringify writes it (escapes, lone surrogates as \uXXXX), in UTF-8. */
function putString(b: Uint8Array, p: number, limit: number, s: string): number {
  const n = s.length;
  // Worst case 6 bytes per UTF-16 unit (\u00XX, or a lone surrogate's \uXXXX), plus the quotes.
  if (p + 6 * n + 2 > limit) return -1;
  b[p++] = 0x22;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x80) {
      if (c === 0x22 || c === 0x5c) {
        b[p++] = 0x5c;
      }
      b[p++] = c;
    } else if (c < 0x20) {
      b[p++] = 0x5c;
      switch (c) {
        case 0x08:
          b[p++] = 0x62;
          break;
        case 0x09:
          b[p++] = 0x74;
          break;
        case 0x0a:
          b[p++] = 0x6e;
          break;
        case 0x0c:
          b[p++] = 0x66;
          break;
        case 0x0d:
          b[p++] = 0x72;
          break;
        default:
          p = putEscape(b, p, c);
      }
    } else if (c < 0x800) {
      b[p++] = 0xc0 | (c >> 6);
      b[p++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        b[p++] = 0xf0 | (cp >> 18);
        b[p++] = 0x80 | ((cp >> 12) & 0x3f);
        b[p++] = 0x80 | ((cp >> 6) & 0x3f);
        b[p++] = 0x80 | (cp & 0x3f);
        i++;
      } else {
        b[p++] = 0x5c;
        p = putEscape(b, p, c); // a lone surrogate (well-formed JSON.stringify)
      }
    } else {
      b[p++] = 0xe0 | (c >> 12);
      b[p++] = 0x80 | ((c >> 6) & 0x3f);
      b[p++] = 0x80 | (c & 0x3f);
    }
  }
  b[p++] = 0x22;
  return p;
}

/** `uXXXX` (lower-case hex, as JSON.stringify writes it) after a backslash already written. */
function putEscape(b: Uint8Array, p: number, c: number): number {
  b[p] = 0x75;
  b[p + 1] = HEX[(c >> 12) & 0xf]!;
  b[p + 2] = HEX[(c >> 8) & 0xf]!;
  b[p + 3] = HEX[(c >> 4) & 0xf]!;
  b[p + 4] = HEX[c & 0xf]!;
  return p + 5;
}

/** An ASCII string's bytes (no escaping: callers pass digits, keywords, epochs). */
export function putAscii(b: Uint8Array, p: number, s: string): number {
  for (let i = 0; i < s.length; i++) b[p + i] = s.charCodeAt(i);
  return p + s.length;
}

/** A finite number as JSON writes it: digits by hand for a safe non-negative integer, String() otherwise. */
export function putNumber(b: Uint8Array, p: number, n: number): number {
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
