/**
 * Custom phases declared in the manifest (`customPhases`), as Phases the runner treats like the
 * built-in ones (preflight, dry-run diff, verification, one commit with trailers, review,
 * rollback):
 *
 * - kind "jscodeshift": a jscodeshift transform module, `export default (file, api, options) =>
 *   string | undefined | null` (optionally `export const parser`), run over the candidate files
 *   with jscodeshift's own API. jscodeshift is loaded on use (an optional peer of ssot-migrate).
 * - kind "module": a module whose default export takes a `CustomPhaseInput` (the snapshot's file
 *   list, reader, resolver, TypeScript program, ts-morph project) and returns the writes.
 *
 * Either way a file that does not parse is left byte-identical, and an output that would not
 * parse is refused (reported, not written).
 */
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Project } from 'ts-morph';
import type ts from 'typescript';
import { loadJscodeshift, MissingPeerDependencyError } from '../engine/jscodeshift.js';
import type { CustomPhaseSpec } from '../../manifest/types.js';
import { parseSource } from '../engine/parse.js';
import type { RepoSnapshot } from '../snapshot/snapshot.js';
import { countEdits } from './report.js';
import type { FileWrite, Phase, PhasePlan, ReviewItem } from './types.js';
import { importModule as importExternal } from '../engine/dynamic-import.js';

/** What a "module" custom phase receives. */
export interface CustomPhaseInput {
  repo: string;
  /** Candidate source files (repo-relative; node_modules and the manifest's `exclude` left out). */
  files: readonly string[];
  read(file: string): string | undefined;
  /** The manifest's `options` for this phase, with run-time overrides. */
  options: Record<string, unknown>;
  snapshot: RepoSnapshot;
  /** The repo's TypeScript program (its tsconfig), built on first use; undefined without a tsconfig. */
  program(): ts.Program | undefined;
  /** The snapshot's ts-morph project with `files` (and what they import) loaded. */
  project(files: readonly string[]): Promise<Project>;
}

/** What a "module" custom phase returns: the writes alone, or a plan's parts. */
export type CustomPhaseResult = FileWrite[] | { writes: FileWrite[]; summary?: string; edits?: number; needsReview?: ReviewItem[]; problems?: ReviewItem[] };

export type CustomPhaseModule = (input: CustomPhaseInput) => CustomPhaseResult | Promise<CustomPhaseResult>;

export class CustomPhaseError extends Error {
  readonly code = 'ERR_SSOT_CUSTOM_PHASE';
  constructor(message: string) {
    super(message);
    this.name = 'CustomPhaseError';
  }
}

/** tsx loads a custom phase written in TypeScript: an optional peer (package.json), like jscodeshift. */
const TSX_RANGE = '^4.0.0';

async function importModule(abs: string): Promise<Record<string, unknown>> {
  // TypeScript modules go through tsx's loader, so a repo can keep its transforms in .ts.
  // Installed from npm, ssot-migrate runs compiled JavaScript and brings no loader: tsx comes from the repo.
  if (/\.[cm]?ts$/.test(abs)) {
    const { tsImport } = await importExternal<typeof import('tsx/esm/api')>('tsx/esm/api').catch((err: unknown) => {
      const e = err as { code?: string; message?: string };
      if (e.code !== 'ERR_MODULE_NOT_FOUND' || !/'tsx(\/[^']*)?'/.test(e.message ?? '')) throw err;
      throw new MissingPeerDependencyError(
        `${abs} is TypeScript, which a custom phase loads through tsx, and tsx is not installed (an optional peer dependency of ssot-migrate). ` +
          `Install it in the repository (npm install --save-dev tsx@${TSX_RANGE}), or point the phase's path at compiled JavaScript (.js, .mjs, .cjs)`,
      );
    });
    return (await tsImport(pathToFileURL(abs).href, import.meta.url)) as Record<string, unknown>;
  }
  return await importExternal<Record<string, unknown>>(pathToFileURL(abs).href);
}

/** The module's default export (following a CommonJS `module.exports` wrapped as default). */
function defaultFunction(mod: Record<string, unknown>, what: string): { fn: (...args: unknown[]) => unknown; mod: Record<string, unknown> } {
  let m: unknown = mod;
  for (let i = 0; i < 3 && m && typeof m !== 'function'; i++) m = (m as Record<string, unknown>)['default'];
  if (typeof m !== 'function') throw new CustomPhaseError(`${what} has no default export function`);
  const inner = (mod['default'] && typeof mod['default'] === 'object' ? (mod['default'] as Record<string, unknown>) : mod) as Record<string, unknown>;
  return { fn: m as (...args: unknown[]) => unknown, mod: { ...inner, ...mod } };
}

export function customPhase(spec: CustomPhaseSpec): Phase {
  const description = spec.description ?? `${spec.kind === 'jscodeshift' ? 'jscodeshift transform' : 'module'} ${spec.path}`;
  return {
    name: spec.name,
    description,
    options: [],
    plan: (snapshot, overrides) => (spec.kind === 'jscodeshift' ? planJscodeshift(spec, snapshot, overrides) : planModule(spec, snapshot, overrides)),
  };
}

function modulePath(spec: CustomPhaseSpec, snapshot: RepoSnapshot): string {
  if (isAbsolute(spec.path)) throw new CustomPhaseError(`custom phase ${spec.name}: path must be repo-relative`);
  const abs = join(snapshot.repo, spec.path);
  if (snapshot.read(spec.path) === undefined) throw new CustomPhaseError(`custom phase ${spec.name}: ${spec.path} does not exist in the repo (customPhases: "${spec.name}")`);
  return abs;
}

/** The files a custom phase may see: candidates minus the module itself. */
function filesFor(spec: CustomPhaseSpec, snapshot: RepoSnapshot): string[] {
  return snapshot.candidates.filter((f) => f !== spec.path);
}

async function planJscodeshift(spec: CustomPhaseSpec, snapshot: RepoSnapshot, overrides: Record<string, unknown>): Promise<PhasePlan> {
  const jscodeshift = await loadJscodeshift(snapshot.repo);
  const { fn: transform, mod } = defaultFunction(await importModule(modulePath(spec, snapshot)), `${spec.path} (custom phase ${spec.name})`);
  const parser = spec.parser ?? (typeof mod['parser'] === 'string' ? (mod['parser'] as string) : 'tsx');
  const j = jscodeshift.withParser(parser);
  const options = { ...(spec.options ?? {}), ...overrides };
  const writes: FileWrite[] = [];
  const needsReview: ReviewItem[] = [];
  const problems: ReviewItem[] = [];
  let edits = 0;
  let parsed = 0;
  const files = filesFor(spec, snapshot);
  for (const file of files) {
    const source = snapshot.read(file);
    if (source === undefined) continue;
    if (spec.prefilter && !spec.prefilter.some((t) => source.includes(t))) continue;
    const input = parseSource(file, source);
    if (input.error) {
      problems.push({ file, line: input.error.line, message: `does not parse (${input.error.message}); left untouched` });
      continue;
    }
    parsed++;
    const api = { jscodeshift: j, j, stats: () => {}, report: (message: string) => needsReview.push({ file, line: 0, message: String(message) }) };
    let out: unknown;
    try {
      out = await transform({ path: file, source }, api, options);
    } catch (err) {
      problems.push({ file, line: 0, message: `transform threw: ${(err as Error).message.split('\n')[0]}; left untouched` });
      continue;
    }
    // jscodeshift's rule: a falsy or identical result leaves the file alone
    if (typeof out !== 'string' || out === '' || out === source) continue;
    const check = parseSource(file, out);
    if (check.error) {
      problems.push({ file, line: check.error.line, message: `transform output does not parse (${check.error.message}); left untouched` });
      continue;
    }
    writes.push({ path: file, content: out });
    edits += countEdits(source, out);
  }
  return {
    phase: spec.name,
    writes,
    edits,
    summary: `${spec.path}: ${edits} edit(s) in ${writes.length} file(s)${problems.length ? `, ${problems.length} file(s) left untouched` : ''}`,
    needsReview,
    problems,
    scanned: files.length,
    parsed,
  };
}

async function planModule(spec: CustomPhaseSpec, snapshot: RepoSnapshot, overrides: Record<string, unknown>): Promise<PhasePlan> {
  const { fn } = defaultFunction(await importModule(modulePath(spec, snapshot)), `${spec.path} (custom phase ${spec.name})`);
  const input: CustomPhaseInput = {
    repo: snapshot.repo,
    files: filesFor(spec, snapshot),
    read: (f) => snapshot.read(f),
    options: { ...(spec.options ?? {}), ...overrides },
    snapshot,
    program: () => snapshot.types()?.baseline(),
    project: (files) => snapshot.project(files),
  };
  const result = (await fn(input)) as CustomPhaseResult;
  const r = Array.isArray(result) ? { writes: result } : result;
  if (!r || !Array.isArray(r.writes)) throw new CustomPhaseError(`custom phase ${spec.name}: ${spec.path} returned no writes (expected FileWrite[] or { writes })`);
  const writes: FileWrite[] = [];
  const problems: ReviewItem[] = [...(r.problems ?? [])];
  let edits = 0;
  let dropped = 0;
  for (const w of r.writes) {
    if (typeof w?.path !== 'string' || w.path === '' || isAbsolute(w.path) || w.path.split(/[\\/]/).includes('..')) throw new CustomPhaseError(`custom phase ${spec.name}: write path ${JSON.stringify(w?.path)} is not a path inside the repo`);
    const before = snapshot.read(w.path);
    if (typeof w.content === 'string') {
      if (before === w.content) continue;
      if (/\.[cm]?[jt]sx?$/.test(w.path)) {
        const check = parseSource(w.path, w.content);
        if (check.error) {
          problems.push({ file: w.path, line: check.error.line, message: `output does not parse (${check.error.message}); left untouched` });
          dropped++;
          continue;
        }
      }
      edits += countEdits(before ?? '', w.content);
    } else if (w.content === null && before === undefined) continue;
    else edits += 1;
    writes.push(w);
  }
  // The phase's own count and summary describe every write it returned; once a write is dropped
  // (its output does not parse) they would claim edits the commit does not hold (SSOT-Edits, the
  // subject): then the edits are the ones kept, counted here, and the summary says what was dropped.
  const summary = r.summary ?? `${spec.path}: ${edits} edit(s) in ${writes.length} file(s)`;
  return {
    phase: spec.name,
    writes,
    edits: dropped ? edits : (r.edits ?? edits),
    summary: dropped && r.summary !== undefined ? `${r.summary}; ${dropped} file(s) of it left untouched (output does not parse): ${edits} edit(s) in ${writes.length} file(s) committed` : summary,
    needsReview: r.needsReview ?? [],
    problems,
  };
}
