/**
 * Text that leaves the server in a place with a size limit or a reader that trusts it: a close
 * reason (RFC 6455: at most 123 bytes of UTF-8; `ws` throws a RangeError beyond that), an HTTP
 * refusal body, a log line. Every value copied there goes through safeText: control characters,
 * backslashes and non-ASCII become escapes (`\n`, `\xNN`, `\uNNNN`), so the result is plain
 * printable ASCII — one byte per character — and is then cut to the byte limit on an escape
 * boundary, with `…` (three dots) marking the cut. No Node-only imports: the client uses it too.
 */

/** The longest close reason RFC 6455 allows (125-byte control frame payload minus the 2-byte code). */
export const MAX_CLOSE_REASON_BYTES = 123;

const SIMPLE_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };

function escapeChar(ch: string): string {
  const simple = SIMPLE_ESCAPES[ch];
  if (simple !== undefined) return simple;
  const code = ch.codePointAt(0)!;
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code < 0x10000) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\u{${code.toString(16)}}`;
}

/** Escapes to printable ASCII and cuts to at most `maxBytes` bytes (= characters, all ASCII). */
export function safeText(value: unknown, maxBytes: number): string {
  const text = typeof value === 'string' ? value : String(value);
  const limit = Math.max(0, Math.floor(maxBytes));
  const marker = '...';
  let out = '';
  const ends: number[] = []; // where each piece ends, to cut on a piece boundary
  // Iterate code points; a lone surrogate is escaped like any other non-ASCII unit.
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const piece = code >= 0x20 && code < 0x7f && ch !== '\\' ? ch : escapeChar(ch);
    if (out.length + piece.length > limit) {
      if (limit < marker.length) return out.slice(0, limit);
      // The longest run of whole pieces that leaves room for the marker.
      let i = ends.length;
      while (i > 0 && ends[i - 1]! + marker.length > limit) i--;
      return out.slice(0, i > 0 ? ends[i - 1] : 0) + marker;
    }
    out += piece;
    ends.push(out.length);
  }
  return out;
}

/** A close reason that ws will accept, whatever went into it. */
export function closeReason(value: unknown): string {
  return safeText(value, MAX_CLOSE_REASON_BYTES);
}
