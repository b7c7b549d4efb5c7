/**
 * Pre-encoded WebSocket frames: a server's (unmasked, uncompressed) text frame is a 2-, 4- or
 * 10-byte header in front of the UTF-8 payload. The replay buffer writes that header in front of
 * each live frame's bytes, so a live event goes to a `ws` socket as one contiguous buffer in one
 * write — the way Socket.IO's engine.io sends pre-encoded frames (`ws` Sender#sendFrame, see
 * websockets/ws#617) — instead of `ws.send`'s per-message option objects, header allocation and
 * corked two-buffer writev.
 */
import type { Corkable } from './write-coalescer.js';

/** Header room to reserve in front of a payload of at most `maxLength` bytes. */
export function frameHeaderRoom(maxLength: number): number {
  return maxLength < 126 ? 2 : maxLength < 65536 ? 4 : 10;
}

/** Length of the header of a text frame with a payload of `length` bytes. */
export function frameHeaderLength(length: number): number {
  return length < 126 ? 2 : length < 65536 ? 4 : 10;
}

/**
 * Writes the header of a final, unmasked, uncompressed text frame with a `length`-byte payload
 * into `buf` so that it ends at `end` (where the payload starts); returns where it starts.
 */
export function writeTextFrameHeader(buf: Uint8Array, end: number, length: number): number {
  const h = frameHeaderLength(length);
  const at = end - h;
  buf[at] = 0x81; // FIN + opcode 1 (text)
  if (h === 2) buf[at + 1] = length;
  else if (h === 4) {
    buf[at + 1] = 126;
    buf[at + 2] = length >>> 8;
    buf[at + 3] = length & 0xff;
  } else {
    buf[at + 1] = 127;
    // 64-bit big-endian length; frames here stay far below 2^32.
    buf[at + 2] = buf[at + 3] = buf[at + 4] = buf[at + 5] = 0;
    buf[at + 6] = (length >>> 24) & 0xff;
    buf[at + 7] = (length >>> 16) & 0xff;
    buf[at + 8] = (length >>> 8) & 0xff;
    buf[at + 9] = length & 0xff;
  }
  return at;
}

/** The payload of a complete frame written by writeTextFrameHeader (a view, no copy). */
export function framePayload(frame: Uint8Array): Uint8Array {
  const n = frame[1]! & 0x7f;
  return frame.subarray(n < 126 ? 2 : n === 126 ? 4 : 10);
}

/** The parts of a `ws` WebSocket's sender that a pre-encoded frame goes through. */
interface WsSender {
  _state?: number;
  _queue?: unknown[];
  /** The net.Socket the sender writes to (sendFrame of one buffer is `_socket.write(buffer)`). */
  _socket?: { write(data: Uint8Array): boolean; cork?(): void; uncork?(): void; writableCorked?: number } | null;
  sendFrame(list: Uint8Array[], cb?: (err?: Error) => void): void;
}

/**
 * Writes a complete pre-encoded frame to a `ws` WebSocket (no per-message deflate on it) as one
 * buffer. Returns false when the socket's sender is not idle (a queued compressed or Blob send must
 * keep its place) or is not a `ws` sender: the caller sends the payload the ordinary way then.
 */
export function sendPreEncoded(socket: object, frame: Uint8Array): boolean {
  const sender = (socket as { _sender?: WsSender | null })._sender;
  if (sender == null || sender._state !== 0 || (sender._queue !== undefined && sender._queue.length > 0)) return false;
  // What sendFrame does with one buffer and no callback, without its one-element array per frame.
  const out = sender._socket;
  if (out != null && typeof out.write === 'function') out.write(frame);
  else sender.sendFrame([frame]);
  return true;
}

/**
 * The stream a `ws` WebSocket writes its frames to (its sender's net.Socket), when it can be corked;
 * undefined for anything else.
 */
export function corkableStreamOf(socket: object): Corkable | undefined {
  const out = (socket as { _sender?: WsSender | null })._sender?._socket;
  return out != null && typeof out.cork === 'function' && typeof out.uncork === 'function' && typeof out.writableCorked === 'number' ? (out as Corkable) : undefined;
}
