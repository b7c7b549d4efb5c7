/** How a chain reads in a review item, a TODO marker and --dry-run: site → callers → end. */
import { Node } from 'ts-morph';
import type { ContextSite, SiteOutcome } from './types.js';

/** Code quoted in a chain, on one line (it goes into a `//` comment) and short. */
export function oneLine(code: string, max = 60): string {
  const t = code.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** A site as a chain names it: a call as `callee()`, a member read as written. */
export function siteLabel(site: ContextSite): string {
  return Node.isCallExpression(site) ? `${oneLine(site.getExpression().getText())}()` : oneLine(site.getText());
}

export function chainText(o: SiteOutcome): string {
  return oneLine(o.chain.join(' → '), Infinity);
}

/** The needs-review message of a site a boundary stopped. */
export function boundaryMessage(o: SiteOutcome, contextType: string): string {
  return `no value of type ${contextType} in scope, and threading it stops at a boundary: ${chainText(o)}`;
}
