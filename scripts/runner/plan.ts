/**
 * What a phase's transform hands the runner: the files it would write, computed without
 * touching the tree, so the runner alone applies, verifies, commits or restores.
 */
import type { PhaseName, SsotManifest } from '../../manifest/types.js';

export interface FileWrite {
  /** Repo-relative, forward slashes. */
  path: string;
  /** New bytes, or null to delete the file. */
  content: string | Uint8Array | null;
}

export interface ReviewItem {
  file: string;
  line: number;
  message: string;
}

export interface PhasePlan {
  phase: PhaseName;
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
}

export type PhasePlanner = (repo: string, manifest: SsotManifest) => Promise<PhasePlan>;

/** Figures the runner needs from the inventory (discover) to fill trailers, status and the ratchet. */
export interface RepoFigures {
  /** Share of import sites already on the canonical module and name, 0..100. */
  compliance: number;
  /** Legacy import sites per repo-relative file (files with none omitted). */
  legacySitesByFile: Record<string, number>;
}

export type FigureSource = (repo: string, manifest: SsotManifest) => Promise<RepoFigures>;
