/**
 * Errors of the Redis bus. They carry a stable `code` like the canonical errors do; callers
 * branch on `code` (or instanceof), never on the text.
 */

import { CanonicalError } from '../errors.js';

export type BusUnavailableReason = 'buffer-full' | 'closed' | 'unreachable';

/**
 * The Redis bus cannot take or answer this call now:
 * - 'buffer-full': Redis is unreachable (or slower than the emitters) and the bounded local
 *   buffer of unsent publishes is full; this publish was refused, nothing already buffered was dropped.
 * - 'closed': the bus was closed before the publish reached Redis.
 * - 'unreachable': a read (replay) needs Redis and Redis is not connected.
 */
export class BusUnavailableError extends CanonicalError {
  readonly reason: BusUnavailableReason;
  constructor(reason: BusUnavailableReason, message: string, options?: { cause?: unknown }) {
    super('ERR_BUS_UNAVAILABLE', message, options);
    this.reason = reason;
  }
}
