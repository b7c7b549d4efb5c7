/** The flip control's token check: constant-time, so response timing does not leak a prefix. */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Compares digests (equal length whatever the inputs), so neither content nor length leaks. */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(digest(given), digest(expected));
}

/** The token from `Authorization: Bearer <token>`, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1] : undefined;
}

/** SSOT_DASHBOARD_TOKEN, trimmed as a --token-file token is (a secret mounted into the environment often ends in a newline, which no Authorization header carries); blank is none. */
export function envToken(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.SSOT_DASHBOARD_TOKEN?.trim() || undefined;
}
