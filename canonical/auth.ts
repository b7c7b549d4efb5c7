import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import type { CryptoKey, JWTPayload, JWTVerifyGetKey, KeyObject } from 'jose';
import { idProblem } from './context.js';
import { CLOSE_CODES } from './close-codes.js';
import { AuthError } from './errors.js';
import { safeText } from './safe-text.js';
import { SUBPROTOCOL, TOKEN_PROTOCOL_PREFIX } from './wire.js';

export type VerifyKey = Uint8Array | CryptoKey | KeyObject | JWTVerifyGetKey;

export interface JwtAuthOptions {
  /** HMAC secret, public key, or a key resolver such as jose's createRemoteJWKSet(url). */
  key: VerifyKey;
  /** Explicit allowlist, e.g. ['HS256'] or ['ES256']. Required: never inferred from the token. */
  algorithms: readonly string[];
  issuer: string;
  audience: string;
  /** Oldest acceptable `iat` (jose syntax: '1h', or seconds). Default '1h'. */
  maxTokenAge?: string | number;
  /** Clock skew allowed on exp/iat/nbf, in seconds. Default 5. */
  clockTolerance?: number;
}

export interface VerifiedToken {
  userId: string;
  /** Expiry, epoch seconds. */
  exp: number;
  claims: JWTPayload;
}

/**
 * Refusals tell the client only the generic reason of their code; what exactly failed (which
 * claim, which origin) is the error's `detail`, for the server's log. Telling a client that the
 * audience was wrong would tell it the signature was right. Details are escaped and cut
 * (safeText) since they carry client-supplied values.
 */
export const REFUSAL_REASONS = { unauthorized: 'unauthorized', forbidden: 'forbidden', badRequest: 'bad request' } as const;
const MAX_DETAIL_BYTES = 512;
const refusal = (entry: { code: number; httpStatus: number }, reason: string, detail: string) =>
  new AuthError(entry.code, entry.httpStatus, reason, safeText(detail, MAX_DETAIL_BYTES));
const unauthorized = (detail: string) => refusal(CLOSE_CODES.UNAUTHORIZED, REFUSAL_REASONS.unauthorized, detail);
const forbidden = (detail: string) => refusal(CLOSE_CODES.FORBIDDEN, REFUSAL_REASONS.forbidden, detail);
const badRequest = (detail: string) => refusal(CLOSE_CODES.BAD_REQUEST, REFUSAL_REASONS.badRequest, detail);

export type TokenVerifier = (token: string) => Promise<VerifiedToken>;

/** Verifies with jose: explicit algorithms, issuer, audience, max age; `sub`, `exp`, `iat` required. */
export function createTokenVerifier(options: JwtAuthOptions): TokenVerifier {
  if (!Array.isArray(options.algorithms) || options.algorithms.length === 0) {
    throw new TypeError('auth.algorithms must be a non-empty allowlist, e.g. ["HS256"]');
  }
  if (options.algorithms.some((a) => a.toLowerCase() === 'none')) throw new TypeError('auth.algorithms may not contain "none"');
  if (!options.issuer || !options.audience) throw new TypeError('auth.issuer and auth.audience are required');
  const verifyOptions = {
    algorithms: [...options.algorithms],
    issuer: options.issuer,
    audience: options.audience,
    maxTokenAge: options.maxTokenAge ?? '1h',
    clockTolerance: options.clockTolerance ?? 5,
    requiredClaims: ['sub', 'exp', 'iat'],
  };
  return async (token: string) => {
    let payload: JWTPayload;
    try {
      // The overloads differ only by key kind; one call site keeps the options identical.
      const result =
        typeof options.key === 'function'
          ? await jwtVerify(token, options.key, verifyOptions)
          : await jwtVerify(token, options.key, verifyOptions);
      payload = result.payload;
    } catch (err) {
      throw unauthorized(describeJoseError(err));
    }
    const problem = idProblem(payload.sub);
    if (problem) throw unauthorized(`token "sub" ${problem}`);
    return { userId: payload.sub as string, exp: payload.exp as number, claims: payload };
  };
}

function describeJoseError(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) {
    return err.claim === 'iat' ? 'token claim "iat" too old (beyond maxTokenAge)' : 'token expired';
  }
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `token claim "${err.claim}" invalid: ${err.reason}`;
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'token algorithm not allowed';
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'token signature invalid';
  if (err instanceof joseErrors.JOSENotSupported) return 'token algorithm not supported';
  if (err instanceof joseErrors.JWSInvalid || err instanceof joseErrors.JWTInvalid) return 'token malformed';
  if (err instanceof joseErrors.JOSEError) return `token refused (${err.code})`;
  return 'token could not be verified';
}

/** Splits a Sec-WebSocket-Protocol header into its entries. */
export function parseProtocolHeader(header: string | string[] | undefined): string[] {
  const raw = Array.isArray(header) ? header.join(',') : (header ?? '');
  return raw
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/** Returns the bearer token from the offered protocols; refuses a missing protocol or token. */
export function tokenFromProtocols(protocols: readonly string[]): string {
  if (!protocols.includes(SUBPROTOCOL)) throw badRequest(`the "${SUBPROTOCOL}" subprotocol must be offered`);
  const entries = protocols.filter((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX));
  if (entries.length === 0) throw unauthorized(`no "${TOKEN_PROTOCOL_PREFIX}<token>" subprotocol entry`);
  if (entries.length > 1) throw unauthorized('more than one bearer token offered');
  const token = entries[0]!.slice(TOKEN_PROTOCOL_PREFIX.length);
  if (token.length === 0) throw unauthorized('empty bearer token');
  return token;
}

export type OriginPolicy = readonly string[] | '*';

/** Throws 4403 unless the Origin is allowed. No Origin = a non-browser client (allowed unless told). */
export function checkOrigin(origin: string | undefined, allowed: OriginPolicy, allowMissing: boolean): void {
  if (origin === undefined || origin === '') {
    if (!allowMissing) throw forbidden('an Origin header is required');
    return;
  }
  if (allowed === '*') return;
  if (!allowed.includes(origin)) throw forbidden(`origin ${JSON.stringify(origin)} is not allowed`);
}

/** Refuses a connection whose token user differs from the user the URL asked for. */
export function checkExpectedUser(tokenUserId: string, requested: string | null): void {
  if (requested !== null && requested !== tokenUserId) throw forbidden('the token is for a different user than the userId query parameter');
}

export { unauthorized as unauthorizedError, forbidden as forbiddenError, badRequest as badRequestError };

export interface MintTokenOptions {
  userId: string;
  /** HMAC secret (HS256 by default) or a private key. */
  key: Uint8Array | CryptoKey | KeyObject;
  issuer: string;
  audience: string;
  alg?: string;
  /** Relative to now in jose syntax ('10m'), or absolute epoch seconds. Default '10m'. */
  expiresIn?: string | number;
  /** Issued-at override, epoch seconds (tests mint old tokens with it). */
  issuedAt?: number;
  claims?: JWTPayload;
}

/** Signs a token the server accepts: sub = userId, iss, aud, iat, exp. For demos, tests and dev tools. */
export async function mintToken(options: MintTokenOptions): Promise<string> {
  const iat = options.issuedAt ?? Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ ...options.claims })
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .setSubject(options.userId)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(iat);
  jwt.setExpirationTime(options.expiresIn ?? '10m');
  return jwt.sign(options.key);
}
