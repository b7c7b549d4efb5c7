/**
 * The one place a rewrite that needs the request's context (a factory call, a member template
 * using `$ctx` or `$user(x)`) lands when none is in scope. Today: the site is left unchanged with
 * a `TODO(ssot)` marker and a needs-review item. Call-chain context threading (passing the
 * context down from a caller that has one) plugs in here, for factory calls and member calls alike.
 */
import type { Node } from 'ts-morph';

export type MarkForReview = (site: Node, message: string) => void;

export function onMissingContext(site: Node, message: string, mark: MarkForReview): void {
  mark(site, message);
}
