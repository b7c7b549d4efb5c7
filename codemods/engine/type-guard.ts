import { relative, resolve, sep } from 'node:path';
import type { RepoSnapshot } from '../snapshot/snapshot.js';
import ts from './ts-api.js';

export interface GuardedChange {
  file: string;
  before: string;
  after: string;
}

export interface GuardResult {
  kept: GuardedChange[];
  /** Changes withdrawn because they added type errors, with the first new error. */
  reverted: Array<{ change: GuardedChange; error: string }>;
}

const toPosix = (p: string): string => p.split(sep).join('/');

/**
 * "Do no harm" for a syntax phase: type-check the repo (its own tsconfig) with the changes
 * applied in memory and withdraw, file by file, every change that adds a type error, until
 * the changed repo has no error the original did not have. Errors in an unchanged file are
 * charged to the changed files it imports. The baseline is the snapshot's program (built once
 * per snapshot, shared by every guard of a phase); one program per round, reusing the previous one.
 */
export function guardTypes(snapshot: RepoSnapshot, changes: readonly GuardedChange[]): GuardResult {
  const setup = changes.length === 0 ? undefined : snapshot.types();
  if (!setup) return { kept: [...changes], reverted: [] };
  const repoDir = snapshot.repo;
  const { overlay, options, host, rootNames } = setup;
  const key = (d: ts.Diagnostic): string => `${d.code}:${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  // only the changed files and their direct importers can gain errors from an import rewrite
  let watched: Set<string> | undefined;
  const diagnose = (old?: ts.Program): { program: ts.Program; byFile: Map<string, ts.Diagnostic[]> } => {
    const program = old ? ts.createProgram({ rootNames, options, host, oldProgram: old }) : setup.baseline();
    if (watched === undefined) {
      const changed = new Set(changes.map((c) => c.file));
      watched = new Set(changed);
      for (const sf of program.getSourceFiles()) {
        const rel = toPosix(relative(repoDir, sf.fileName));
        if (rel.startsWith('..') || rel.includes('node_modules/')) continue;
        if (importsOf(program, repoDir, rel).some((d) => changed.has(d))) watched.add(rel);
      }
    }
    const byFile = new Map<string, ts.Diagnostic[]>();
    for (const rel of watched) {
      const sf = program.getSourceFile(resolve(repoDir, rel));
      if (!sf) continue;
      const ds = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
      if (ds.length > 0) byFile.set(rel, ds);
    }
    return { program, byFile };
  };
  const baseline = diagnose();
  const baseKeys = new Map<string, Map<string, number>>();
  for (const [f, ds] of baseline.byFile) {
    const m = new Map<string, number>();
    for (const d of ds) m.set(key(d), (m.get(key(d)) ?? 0) + 1);
    baseKeys.set(f, m);
  }
  const live = new Map(changes.map((c) => [c.file, c]));
  const reverted: GuardResult['reverted'] = [];
  let program = baseline.program;
  try {
    for (let round = 0; round < 20 && live.size > 0; round++) {
      overlay.clear();
      for (const c of live.values()) overlay.set(resolve(repoDir, c.file), c.after);
      const now = diagnose(program);
      program = now.program;
      const newErrors = new Map<string, ts.Diagnostic>();
      for (const [f, ds] of now.byFile) {
        const budget = new Map(baseKeys.get(f) ?? []);
        for (const d of ds) {
          const k = key(d);
          const left = budget.get(k) ?? 0;
          if (left > 0) budget.set(k, left - 1);
          else if (!newErrors.has(f)) newErrors.set(f, d);
        }
      }
      if (newErrors.size === 0) break;
      const blame = new Map<string, ts.Diagnostic>();
      for (const [f, d] of newErrors) {
        if (live.has(f)) blame.set(f, d);
        else for (const dep of importsOf(program, repoDir, f)) if (live.has(dep) && !blame.has(dep)) blame.set(dep, d);
      }
      // nothing attributable: withdraw everything rather than leave new errors behind
      if (blame.size === 0) for (const f of live.keys()) blame.set(f, newErrors.values().next().value!);
      for (const [f, d] of blame) {
        const where = d.file && d.start !== undefined ? `${toPosix(relative(repoDir, d.file.fileName))}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
        reverted.push({ change: live.get(f)!, error: `${where} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}` });
        live.delete(f);
      }
    }
  } finally {
    // the snapshot's baseline stays the unchanged tree for the next guard
    overlay.clear();
  }
  return { kept: [...live.values()], reverted };
}

/** Repo files a file imports (resolved by the program). */
function importsOf(program: ts.Program, repoDir: string, file: string): string[] {
  const sf = program.getSourceFile(resolve(repoDir, file));
  if (!sf) return [];
  const out: string[] = [];
  for (const imp of ts.preProcessFile(sf.text, true, true).importedFiles) {
    const r = ts.resolveModuleName(imp.fileName, sf.fileName, program.getCompilerOptions(), ts.sys).resolvedModule;
    if (r && !r.isExternalLibraryImport) out.push(toPosix(relative(repoDir, r.resolvedFileName)));
  }
  return out;
}
