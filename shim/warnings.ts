/**
 * Deprecation warnings through Node's own channel, so `--no-deprecation`, `--throw-deprecation`
 * and `--trace-deprecation` (and `process.on('warning')`) behave as users expect. One warning per
 * (id, call site): fifty callers give fifty lines, each fixable, not one line or a flood.
 */
import type { CallSiteInfo } from './call-site.js';
import { callSiteKey, formatCallSite } from './call-site.js';

export interface DeprecationNotice {
  id: string;
  symbol: string;
  site: CallSiteInfo | undefined;
  replacement: string;
}

export type WarningEmitter = (message: string, options: { type: 'DeprecationWarning'; code: string; detail?: string }) => void;

const nodeEmitter: WarningEmitter = (message, options) => process.emitWarning(message, options);

export class DeprecationWarnings {
  private readonly seen = new Set<string>();
  /** After this many distinct sites, further sites only warn once per id (memory stays bounded). */
  private readonly maxSites: number;
  private readonly overflowIds = new Set<string>();
  private readonly emit: WarningEmitter;

  constructor(options: { maxSites?: number; emit?: WarningEmitter } = {}) {
    this.maxSites = options.maxSites ?? 10_000;
    this.emit = options.emit ?? nodeEmitter;
  }

  /**
   * Warns unless this (id, site) was warned before. Returns whether it warned. Under
   * `--throw-deprecation` Node raises the warning as an uncaught exception on the next tick.
   */
  warn(notice: DeprecationNotice): boolean {
    const key = `${notice.id}@${callSiteKey(notice.site)}`;
    if (this.seen.has(key)) return false;
    if (this.seen.size >= this.maxSites) {
      if (this.overflowIds.has(notice.id)) return false;
      this.overflowIds.add(notice.id);
    } else {
      this.seen.add(key);
    }
    this.emit(`${notice.symbol} is deprecated (${notice.id}); called from ${formatCallSite(notice.site)}. Use ${notice.replacement} instead.`, {
      type: 'DeprecationWarning',
      code: notice.id,
    });
    return true;
  }

  /** Forget what was warned (tests). */
  reset(): void {
    this.seen.clear();
    this.overflowIds.clear();
  }
}
