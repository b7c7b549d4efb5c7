/** Public surface of codemods/remove-adapters: the phase-4 planner. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Project } from 'ts-morph';
import type { SsotManifest } from '../../manifest/types.js';
import type { PhasePlan, ReviewItem } from '../../scripts/runner/plan.js';
import { listCandidateFiles } from '../engine/files.js';
import { guardTypes } from '../engine/type-guard.js';
import { isFacadeText, isFrozenFile, legacyModuleIds, moduleFiles, repoReader } from '../strangle/index.js';
import { analyzeRemoveAdapters } from './plan.js';

export { analyzeRemoveAdapters, removeAdaptersTokens } from './plan.js';
export { Analyzer, fillTemplate, planFile, TODO_MARK, type AnalysisResult, type FileChange } from './analyze.js';

/**
 * Phase 4 planner (PhasePlanner). The legacy modules themselves (facades or not) and frozen
 * files are not call sites: remove-shim deletes them. A file whose rewrite would add a type
 * error is withdrawn whole and listed as needing review with that error (never a broken tree).
 */
export async function planRemoveAdapters(repo: string, manifest: SsotManifest): Promise<PhasePlan> {
  const read = repoReader(repo);
  const candidates = listCandidateFiles(repo, manifest.exclude).filter((f) => /\.(ts|tsx|mts|cts)$/.test(f) && !f.endsWith('.d.ts'));
  const legacy = new Set(moduleFiles(legacyModuleIds(manifest), candidates).values());
  const files = candidates.filter((f) => !legacy.has(f) && !isFrozenFile(f) && !isFacadeText(read(f) ?? ''));
  const tsconfig = join(repo, manifest.tsconfig);
  const r = analyzeRemoveAdapters(repo, manifest, files, read, (fs) => {
    const project = new Project({ ...(existsSync(tsconfig) ? { tsConfigFilePath: tsconfig } : {}), skipAddingFilesFromTsConfig: true });
    for (const f of fs) project.addSourceFileAtPath(join(repo, f));
    project.resolveSourceFileDependencies();
    return project;
  });
  const guard = guardTypes(repo, manifest.tsconfig, r.changes);
  const needsReview: ReviewItem[] = [...r.needsReview];
  for (const w of guard.reverted) needsReview.push({ file: w.change.file, line: 1, message: `rewrite withdrawn, it would add a type error: ${w.error}` });
  const withdrawn = new Set(guard.reverted.map((w) => w.change.file));
  const kept = guard.kept;
  return {
    phase: 'remove-adapters',
    writes: kept.map((c) => ({ path: c.file, content: c.after })),
    edits: withdrawn.size ? Math.max(0, r.edits - guard.reverted.length) : r.edits,
    summary: kept.length ? `adapters unwrapped and factory calls made per-context in ${kept.length} file(s)` : 'no adapter or legacy factory call left to rewrite',
    needsReview,
    problems: r.problems,
  };
}
