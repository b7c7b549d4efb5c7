/**
 * The phase contract: what every phase (built-in or declared in the manifest) is and hands the
 * runner. A phase plans against one snapshot of the repo and never touches the tree itself, so
 * the runner alone applies, verifies, commits or restores.
 */
import type { FileReport } from '../engine/types.js';
import type { RepoSnapshot } from '../snapshot/snapshot.js';

export interface FileWrite {
  /** Repo-relative, forward slashes. */
  path: string;
  /** New bytes, or null to delete the file. */
  content: string | Uint8Array | null;
  /** The text the phase planned against, when it read the file: saves reading it again for the diff. */
  before?: string;
  /** The unified diff of `before` → `content` (a/ b/ names, engine/diff.ts), when the phase computed it alongside. */
  diff?: string;
}

export interface ReviewItem {
  file: string;
  line: number;
  message: string;
}

export interface PhasePlan {
  phase: string;
  writes: FileWrite[];
  /** Number of individual edits (import rewrites, removed declarations, ...). */
  edits: number;
  /** One line for the commit subject. */
  summary: string;
  /** Places the transform would not guess at; listed first in review. */
  needsReview: ReviewItem[];
  /** Files reported and left byte-identical (parse errors, incompatible duplicates, ...). */
  problems: ReviewItem[];
  /** Set when the phase's own gate refuses to run (e.g. remove-shim while legacy use remains). */
  refusal?: string;
  /**
   * Extra git trailers for the phase commit (`Key: value`, keys `SSOT-*`), e.g. the evidence the
   * gate opened on. Values are one line.
   */
  trailers?: Record<string, string>;
  /** Per-file outcome, for phases that transform file by file (reports, `runTransform`). */
  files?: FileReport[];
  /** Files read / files parsed, when the phase reports them. */
  scanned?: number;
  parsed?: number;
}

/** Compliance and legacy import sites, from the scan machinery (codemods/snapshot). */
export interface RepoFigures {
  /** Share of import sites already on the canonical module and name, 0..100. */
  compliance: number;
  /** Legacy import sites per repo-relative file (files with none omitted). */
  legacySitesByFile: Record<string, number>;
}

export type PhaseOptionType = 'boolean' | 'integer' | 'string' | 'string[]' | 'duration';

/** A declared phase option: validated, shown in `--help`, passed to `plan` as data. */
export interface PhaseOptionSpec {
  /** kebab-case; the CLI flag is `--<name>`, the value's key in `plan`'s options is camelCase. */
  name: string;
  type: PhaseOptionType;
  description: string;
  /** Used when the option is not given (none: the key is absent). */
  default?: boolean | number | string | string[];
  /** Shown in help for a value (e.g. FILES, 30d). */
  placeholder?: string;
}

export type PhaseOptionValues = Record<string, unknown>;

/** Manifest fields that are optional in the schema and required only by the phases that use them. */
export type OptionalManifestField = 'canonical.contextType' | 'canonical.factory' | 'factory';

/**
 * A manifest field a phase needs (beyond `canonical.module`, `canonical.exports`, `legacy` and
 * `verify`, which every manifest has). Checked against the selected phases before any phase
 * runs (codemods/phase/requirements.ts): a missing one is named with the phase that needs it.
 */
export interface ManifestFieldNeed {
  field: OptionalManifestField;
  /** Needed only when this other field is given (e.g. the factory rewrite needs a context type). */
  onlyWith?: OptionalManifestField;
}

export interface Phase {
  name: string;
  /** One line, shown in `--help`, `status` and the README's phase table. */
  description: string;
  options: readonly PhaseOptionSpec[];
  /** The optional manifest fields this phase needs (none: a pure module move's fields suffice). */
  manifestFields?: readonly ManifestFieldNeed[];
  /**
   * true: the plan begins with a syntax run over every candidate prefiltered by the manifest's
   * legacy module names, so a snapshot opened for it starts git's grep for them at once
   * (RepoSnapshot OpenOptions.gitPrefilter, engine/git-prefilter.ts).
   */
  gitPrefilter?: boolean;
  /** Computes the phase's change against the snapshot; writes nothing. */
  plan(snapshot: RepoSnapshot, options: PhaseOptionValues): Promise<PhasePlan>;
}
