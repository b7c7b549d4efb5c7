/** The data context threading works on and hands back (no behaviour here). */
import type { CallExpression, PropertyAccessExpression, Type } from 'ts-morph';
import type { ContextSourceSpec, SsotManifest } from '../../manifest/types.js';
import type { Edit } from '../engine/types.js';

/**
 * A site that needs a context: a call (a factory call, a legacy member's), or a member read whose
 * template needs one (`this.sockets.size` with a `"sockets.size"` template using `$ctx`).
 */
export type ContextSite = CallExpression | PropertyAccessExpression;

export interface ThreadOptions {
  /** Absolute repo root, as the project's file paths start. */
  root: string;
  manifest: SsotManifest;
  /** Whether a value of this type is the context (the calling phase's rule, by the checker). */
  isContext: (type: Type) => boolean;
  /** Whether the phase may edit this repo-relative file (legacy modules and frozen code are not call sites it owns). */
  editable: (file: string) => boolean;
  /** The context already in scope at a call (the calling phase's rule), or why there is none. */
  contextAt: (call: ContextSite) => { text: string } | { missing: string };
}

/** One site that needs a context, and what became of it. */
export interface SiteOutcome {
  call: ContextSite;
  file: string;
  line: number;
  /** The functions that take the context (site first), then where it comes from, one step each. */
  chain: string[];
  /** Set when the site's own scope builds the context from a contextSources value: that expression. */
  source?: string;
  /** The rule behind `source` (its `imports` go into the site's file). */
  sourceRule?: ContextSourceSpec;
  /** Set when a boundary stops the threading: the site stays for a person. */
  boundary?: string;
}

export interface ThreadResult {
  /** Per repo-relative file: edits on the project's text of that file (no BOM). */
  edits: Map<string, Edit[]>;
  outcomes: SiteOutcome[];
  /** Sites whose chain reached a context (in scope or from a contextSources rule). */
  threaded: number;
}
