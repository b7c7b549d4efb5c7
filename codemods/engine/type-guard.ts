import { relative, resolve, sep } from 'node:path';
import type { RepoSnapshot } from '../snapshot/snapshot.js';
import ts from './ts-api.js';
import { collectGarbage } from './memory.js';

export interface GuardedChange {
  file: string;
  before: string;
  after: string;
}

export interface GuardResult {
  kept: GuardedChange[];
  /** Changes withdrawn because they added type errors, each with its group's first new error. */
  reverted: Array<{ change: GuardedChange; error: string }>;
  /** The withdrawn groups: files whose new errors come from each other's changes, kept or withdrawn together. */
  groups: Array<{ files: string[]; error: string }>;
}

const toPosix = (p: string): string => p.split(sep).join('/');

/**
 * "Do no harm" for a syntax phase: type-check the repo (its own tsconfig) with the changes
 * applied in memory and withdraw every change that adds a type error, until the changed repo
 * has no error the original did not have. Changes are kept or withdrawn in connected groups:
 * a new error in file A links A to every changed file declaring a symbol the error's span
 * refers to (and to the files of its related locations); a new error in an unchanged file
 * links the changed files it imports. A group with a new error is withdrawn whole (reported
 * with its first error), so a set of files that only typechecks together is never split into
 * a half that breaks. A later phase retries them: remove-adapters runs rewrite-imports again
 * over every file's text after its own edits and guards the union here (codemods/README.md).
 * The baseline is the snapshot's program; its diagnostics are kept per file (every guard of a
 * phase shares them) and the program itself is released before the rounds. One program per
 * round, the previous one dropped first: the parsed files are shared through the snapshot's
 * host, so at most one checker is alive at a time (peak memory about one type check's).
 */
export function guardTypes(snapshot: RepoSnapshot, changes: readonly GuardedChange[]): GuardResult {
  const setup = changes.length === 0 ? undefined : snapshot.types();
  if (!setup) return { kept: [...changes], reverted: [], groups: [] };
  const repoDir = snapshot.repo;
  const { overlay, options, host, rootNames } = setup;
  const key = (d: ts.Diagnostic): string => `${d.code}:${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  const diagnose = (program: ts.Program, files: Iterable<string>): Map<string, ts.Diagnostic[]> => {
    const byFile = new Map<string, ts.Diagnostic[]>();
    for (const rel of files) {
      const sf = program.getSourceFile(resolve(repoDir, rel));
      if (!sf) continue;
      const ds = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
      if (ds.length > 0) byFile.set(rel, ds);
    }
    return byFile;
  };
  // only the changed files and their direct importers can gain errors from an import rewrite
  const changed = new Set(changes.map((c) => c.file));
  const watched = new Set(changed);
  const baseKeys = baselineKeysOf(setup);
  {
    const base = setup.baseline();
    for (const sf of base.getSourceFiles()) {
      const rel = toPosix(relative(repoDir, sf.fileName));
      if (rel.startsWith('..') || rel.includes('node_modules/')) continue;
      if (importsOf(base, repoDir, rel).some((d) => changed.has(d))) watched.add(rel);
    }
    const todo = [...watched].filter((f) => !baseKeys.has(f));
    const byFile = diagnose(base, todo);
    for (const f of todo) {
      const m = new Map<string, number>();
      for (const d of byFile.get(f) ?? []) m.set(key(d), (m.get(key(d)) ?? 0) + 1);
      baseKeys.set(f, m);
    }
    setup.releaseBaseline();
  }
  const live = new Map(changes.map((c) => [c.file, c]));
  const reverted: GuardResult['reverted'] = [];
  const groups: GuardResult['groups'] = [];
  const describe = (d: ts.Diagnostic): string => {
    const where = d.file && d.start !== undefined ? `${toPosix(relative(repoDir, d.file.fileName))}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
    return `${where} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  };
  let program: ts.Program | undefined;
  try {
    for (let round = 0; round < 20 && live.size > 0; round++) {
      overlay.clear();
      for (const c of live.values()) overlay.set(resolve(repoDir, c.file), c.after);
      program = undefined; // the previous round's checker (or the baseline's) goes before this one fills
      collectGarbage();
      program = ts.createProgram({ rootNames, options, host });
      const newErrors: Array<{ file: string; d: ts.Diagnostic }> = [];
      for (const [f, ds] of diagnose(program, watched)) {
        const budget = new Map(baseKeys.get(f) ?? []);
        for (const d of ds) {
          const k = key(d);
          const left = budget.get(k) ?? 0;
          if (left > 0) budget.set(k, left - 1);
          else newErrors.push({ file: f, d });
        }
      }
      if (newErrors.length === 0) break;
      const sets = new UnionFind();
      const firstError = new Map<string, ts.Diagnostic>();
      for (const { file, d } of newErrors) {
        const linked = new Set<string>();
        if (live.has(file)) linked.add(file);
        for (const f of errorSources(program, repoDir, d)) if (live.has(f)) linked.add(f);
        // an unchanged file's error with no changed declaration in sight: charged to the changed files it imports
        if (linked.size === 0) for (const dep of importsOf(program, repoDir, file)) if (live.has(dep)) linked.add(dep);
        const [head, ...rest] = [...linked];
        if (head === undefined) continue;
        for (const f of rest) sets.union(head, f);
        if (!firstError.has(head)) firstError.set(head, d);
      }
      // nothing attributable: withdraw everything rather than leave new errors behind
      if (firstError.size === 0) {
        const [first] = [...live.keys()];
        for (const f of live.keys()) sets.union(first!, f);
        firstError.set(first!, newErrors[0]!.d);
      }
      const erring = new Map<string, ts.Diagnostic>();
      for (const [f, d] of firstError) if (!erring.has(sets.find(f))) erring.set(sets.find(f), d);
      const byRoot = new Map<string, string[]>();
      for (const f of live.keys()) {
        const root = sets.find(f);
        if (erring.has(root)) (byRoot.get(root) ?? byRoot.set(root, []).get(root)!).push(f);
      }
      for (const [root, files] of byRoot) {
        const error = describe(erring.get(root)!);
        groups.push({ files: files.sort(), error });
        for (const f of files) {
          reverted.push({ change: live.get(f)!, error: files.length > 1 ? `${error}; withdrawn with ${files.length - 1} other file(s) of its group: ${files.filter((x) => x !== f).join(', ')}` : error });
          live.delete(f);
        }
      }
    }
  } finally {
    // the snapshot's baseline stays the unchanged tree for the next guard
    overlay.clear();
  }
  return { kept: [...live.values()], reverted, groups };
}

/** The unchanged tree's diagnostics per file (code and message → count), kept for every guard of a snapshot. */
const baselineKeys = new WeakMap<object, Map<string, Map<string, number>>>();
function baselineKeysOf(setup: object): Map<string, Map<string, number>> {
  let m = baselineKeys.get(setup);
  if (!m) baselineKeys.set(setup, (m = new Map()));
  return m;
}

/**
 * Repo files that declare what a diagnostic's span refers to (the symbols of its identifiers,
 * through import aliases) and the files of its related locations: where the error comes from.
 */
function errorSources(program: ts.Program, repoDir: string, d: ts.Diagnostic): string[] {
  const out = new Set<string>();
  const add = (fileName: string): void => {
    const rel = toPosix(relative(repoDir, fileName));
    if (!rel.startsWith('..') && !rel.includes('node_modules/')) out.add(rel);
  };
  for (const r of d.relatedInformation ?? []) if (r.file) add(r.file.fileName);
  const sf = d.file;
  if (!sf || d.start === undefined) return [...out];
  // the error's span widened to its statement or member (TS points at `mode` in `makeC().mode`)
  let node: ts.Node = sf;
  for (let inner = innermost(sf, d.start, d.start + (d.length ?? 0)); inner; inner = innermost(inner, d.start, d.start + (d.length ?? 0))) node = inner;
  while (node.parent && !ts.isSourceFile(node.parent) && !ts.isBlock(node.parent) && !ts.isModuleBlock(node.parent) && !ts.isClassElement(node) && !ts.isTypeElement(node)) node = node.parent;
  const checker = program.getTypeChecker();
  let seen = 0;
  const visit = (n: ts.Node): void => {
    if (seen > 50) return;
    if (ts.isIdentifier(n)) {
      seen++;
      let sym = checker.getSymbolAtLocation(n);
      // every file of an alias chain: a changed re-export is where the type comes from
      while (sym && sym.flags & ts.SymbolFlags.Alias) {
        for (const decl of sym.declarations ?? []) add(decl.getSourceFile().fileName);
        const next = checker.getImmediateAliasedSymbol(sym);
        if (!next || next === sym) break;
        sym = next;
      }
      for (const decl of sym?.declarations ?? []) add(decl.getSourceFile().fileName);
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return [...out];
}

/** The child of `node` whose span holds [start, end], if any. */
function innermost(node: ts.Node, start: number, end: number): ts.Node | undefined {
  return ts.forEachChild(node, (c) => (c.getStart() <= start && end <= c.end ? c : undefined));

}

class UnionFind {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    let p = this.parent.get(x) ?? x;
    if (p !== x) {
      p = this.find(p);
      this.parent.set(x, p);
    }
    return p;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
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
