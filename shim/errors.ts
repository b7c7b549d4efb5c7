import type { CallSiteInfo } from './call-site.js';
import { formatCallSite } from './call-site.js';

/**
 * Thrown in `strict` mode when a legacy entry point is used. Names the deprecation id, where it
 * was called from and what to use instead, so the failing test or log line is self-explaining.
 */
export class DeprecatedApiError extends Error {
  readonly code = 'ERR_SSOT_DEPRECATED' as const;
  readonly id: string;
  readonly symbol: string;
  readonly site: CallSiteInfo | undefined;
  readonly replacement: string;

  constructor(id: string, symbol: string, site: CallSiteInfo | undefined, replacement: string) {
    super(
      `${id}: ${symbol} is deprecated and this id is in strict mode; called from ${formatCallSite(site)}. ` +
        `Use ${replacement} instead.`,
    );
    this.name = 'DeprecatedApiError';
    this.id = id;
    this.symbol = symbol;
    this.site = site;
    this.replacement = replacement;
  }
}

/** Bad shim input: an unknown mode, a malformed SSOT_SHIM value or toggles file, a bad facade spec. */
export class ShimConfigError extends Error {
  readonly code = 'ERR_SSOT_SHIM_CONFIG' as const;
  constructor(message: string) {
    super(message);
    this.name = 'ShimConfigError';
  }
}

/**
 * A member of a legacy class was used in canonical mode but the manifest gives it neither a
 * template (`classes[].members`) nor leaves it to legacy code (`legacyMembers`). Strangle reports
 * such members when the repo uses them and keeps their id in `legacy` mode by default, so this
 * is seen only when canonical mode is forced or the member is reached dynamically.
 */
export class UnmappedMemberError extends Error {
  readonly code = 'ERR_SSOT_UNMAPPED_MEMBER' as const;
  constructor(
    readonly id: string,
    readonly member: string,
    /** Why there is no canonical form, when it is not a missing member template (e.g. the facade has no table at all). */
    reason?: string,
    /** Where the manifest maps it (a free function: `functions[].templates`). */
    mapIn = 'the class in ssot.config.json (classes[].members)',
  ) {
    super(
      reason
        ? `${id}: ${member}: ${reason}; map ${mapIn} and re-run strangle, or run ${id} in legacy mode`
        : `${id}: ${member} has no canonical template in ssot.config.json (classes[].members) and is not in legacyMembers; map it, or run ${id} in legacy mode`,
    );
    this.name = 'UnmappedMemberError';
  }
}
