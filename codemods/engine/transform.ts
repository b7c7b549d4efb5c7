import type ts from 'typescript';
import type { PhaseContext } from './context.js';
import { ModuleResolver } from './resolve.js';
import { containsAny } from './source-text.js';
import type { Edit, Problem } from './types.js';

/** What a syntax transform sees: one parsed file. */
export interface TransformInput {
  file: string;
  text: string;
  sf: ts.SourceFile;
}

export interface TransformOutput {
  edits: Edit[];
  problems: Problem[];
  /** Set to leave the file alone on purpose (reported as skipped with this reason). */
  skip?: string;
  /** Per-file findings for analysis phases (discover). */
  data?: unknown;
}

/** The per-process state a transform runs with: the context plus objects built from it once. */
export interface PhaseRuntime {
  ctx: PhaseContext;
  resolver: ModuleResolver;
}

export function makeRuntime(ctx: PhaseContext): PhaseRuntime {
  return { ctx, resolver: new ModuleResolver(ctx.resolver) };
}

/** A transform over syntax alone: pure function of (file, runtime) to edits. */
export interface SyntaxTransform {
  name: string;
  /**
   * The prefilter, as data: a file containing none of these strings cannot be affected and is
   * never parsed. Data rather than a function so that the thread reading the files can apply it
   * (engine/read-ahead.ts); `prefilter` below tests one text.
   */
  prefilterTokens(rt: PhaseRuntime): readonly string[];
  /**
   * false: the transform reads no JSDoc tree (no node.jsDoc, tags or JSDoc types), so a
   * TypeScript file is parsed without them (engine/parse.ts parseSource). Default: parsed.
   */
  jsDoc?: boolean;
  transform(input: TransformInput, rt: PhaseRuntime): TransformOutput;
}

/** Whether `text` passes `transform`'s prefilter (may be affected, so is parsed). */
export function prefilter(transform: SyntaxTransform, text: string, rt: PhaseRuntime): boolean {
  return containsAny(text, transform.prefilterTokens(rt));
}
