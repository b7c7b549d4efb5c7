/** How a chain reads in a review item, a TODO marker and --dry-run: site → callers → end. */
import type { SiteOutcome } from './types.js';

export function chainText(o: SiteOutcome): string {
  return o.chain.join(' → ');
}

/** The needs-review message of a site a boundary stopped. */
export function boundaryMessage(o: SiteOutcome, contextType: string): string {
  return `no value of type ${contextType} in scope, and threading it stops at a boundary: ${chainText(o)}`;
}
