import { relative, resolve, sep } from 'node:path';
import type { RepoSnapshot } from '../snapshot/snapshot.js';
import { diagnosticKey } from './diagnostic-key.js';
import { reachesAnyFile } from './global-declarations.js';
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

/** A diagnostic of a guard round as plain data, so the round's program can go before the baseline's is built. */
interface Found {
  file: string;
  key: string;
  /** Where and what, for the report. */
  text: string;
  /** Repo files declaring what the error refers to (errorSources). */
  sources: string[];
}

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
 *
 * What it checks: the changed files and their direct importers (only they can gain errors from
 * an import rewrite), on a program of just those files and what they reach (their imports,
 * transitively, and every file whose declarations reach files that do not import it: scripts,
 * `declare global`, `declare module`, plus the tsconfig's types and libs): a file's diagnostics
 * depend on nothing else, so the rest of the repo is neither parsed nor bound nor checked. The
 * importers come from a lexer scan of every file (once per snapshot). The unchanged tree is
 * checked only for the files that have errors in the changed one (its diagnostics kept per file
 * for every guard of the snapshot): a file with no error has none new. A later round re-checks
 * only the files a withdrawal can change: those whose imports (transitively) reached a withdrawn
 * file, or that had a new error, and that still reach a kept change (one that reaches none sees
 * the unchanged tree). A change to a script or a global or module declaration can reach any
 * file: then every round re-checks every watched file. One program at a time, the previous one
 * dropped first; parsed files and module resolutions are shared through the snapshot's host.
 */
export function guardTypes(snapshot: RepoSnapshot, changes: readonly GuardedChange[]): GuardResult {
  const setup = changes.length === 0 ? undefined : snapshot.types();
  if (!setup) return { kept: [...changes], reverted: [], groups: [] };
  const repoDir = snapshot.repo;
  const { overlay } = setup;
  const abs = (f: string): string => resolve(repoDir, f);
  const rel = (a: string): string => toPosix(relative(repoDir, a));
  // code and message, the hints TypeScript picks by what else the program holds left out and paths spelled one
  // way: the unchanged tree and the changed one are checked as programs of different files (diagnostic-key.ts)
  const canonical = (f: string): string => setup.host.getCanonicalFileName(f);
  const key = (d: ts.Diagnostic): string => diagnosticKey(d, canonical);
  const diagnose = (program: ts.Program, files: Iterable<string>): Map<string, ts.Diagnostic[]> => {
    const byFile = new Map<string, ts.Diagnostic[]>();
    for (const f of files) {
      const sf = program.getSourceFile(abs(f));
      if (!sf) continue;
      const ds = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
      if (ds.length > 0) byFile.set(f, ds);
    }
    return byFile;
  };
  const describe = (d: ts.Diagnostic): string => {
    const where = d.file && d.start !== undefined ? `${rel(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
    return `${where} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  };
  overlay.clear();
  const repoFiles = setup.repoImports();
  const globals = [...repoFiles].filter(([, r]) => r.global).map(([f]) => f);
  /** A program of `files` and what can reach them (the overlay as set). */
  const programOf = (files: Iterable<string>): ts.Program => setup.createProgram([...new Set([...files, ...globals])].map(abs));
  const baseKeys = baselineKeysOf(setup);
  /** The unchanged tree's diagnostics of `files` not known yet (one program, dropped after). */
  const learnBaseline = (files: readonly string[]): void => {
    const todo = files.filter((f) => !baseKeys.has(f));
    if (todo.length === 0) return;
    overlay.clear();
    collectGarbage();
    const byFile = diagnose(programOf(todo), todo);
    for (const f of todo) {
      const m = new Map<string, number>();
      for (const d of byFile.get(f) ?? []) m.set(key(d), (m.get(key(d)) ?? 0) + 1);
      baseKeys.set(f, m);
    }
  };
  const changed = new Set(changes.map((c) => c.file));
  const narrow = !changes.some((c) => reachesAnyFile(c.before) || reachesAnyFile(c.after));
  const live = new Map(changes.map((c) => [c.file, c]));
  const changedText = new Map(changes.map((c) => [c.file, c.after]));
  const afterImports = new Map<string, string[]>();
  /** What a file imports while the files `isChanged` says carry their change (a changed text is scanned once). */
  const importsOf = (f: string, isChanged: (f: string) => boolean): readonly string[] => {
    if (!isChanged(f)) return repoFiles.get(f)?.imports ?? [];
    if (!afterImports.has(f)) afterImports.set(f, setup.resolveImports(abs(f), changedText.get(f)!).map(rel));
    return afterImports.get(f)!;
  };
  const reverted: GuardResult['reverted'] = [];
  const groups: GuardResult['groups'] = [];
  // only the changed files and their direct importers can gain errors from an import rewrite
  const watched = new Set(changed);
  for (const [f, r] of repoFiles) if (r.imports.some((d) => changed.has(d))) watched.add(f);
  let check: ReadonlySet<string> = watched;
  try {
    for (let round = 0; round < 20 && live.size > 0 && check.size > 0; round++) {
      overlay.clear();
      for (const c of live.values()) overlay.set(abs(c.file), c.after);
      collectGarbage(); // the previous round's checker goes before this one fills
      let program: ts.Program | undefined = programOf(check);
      const found: Found[] = [];
      for (const [f, ds] of diagnose(program, check)) {
        // where the unchanged tree's diagnostics are known, only the errors beyond them
        const base = baseKeys.get(f);
        const keys = ds.map(key);
        for (const i of base ? beyond(keys, base) : keys.keys()) found.push({ file: f, key: keys[i]!, text: describe(ds[i]!), sources: errorSources(program, repoDir, ds[i]!) });
      }
      program = undefined;
      // the unchanged tree, for the files with errors whose errors there are not known yet
      const unknown = new Set(found.filter((x) => !baseKeys.has(x.file)).map((x) => x.file));
      learnBaseline([...unknown]);
      const fresh = new Set(found.filter((x) => !unknown.has(x.file)));
      for (const f of unknown) {
        const mine = found.filter((x) => x.file === f);
        for (const i of beyond(mine.map((x) => x.key), baseKeys.get(f)!)) fresh.add(mine[i]!);
      }
      const newErrors = found.filter((x) => fresh.has(x));
      if (newErrors.length === 0) break;
      const sets = new UnionFind();
      const firstError = new Map<string, Found>();
      for (const e of newErrors) {
        const linked = new Set<string>();
        if (live.has(e.file)) linked.add(e.file);
        for (const f of e.sources) if (live.has(f)) linked.add(f);
        // an unchanged file's error with no changed declaration in sight: charged to the changed files it imports
        if (linked.size === 0) for (const dep of importsOf(e.file, (f) => live.has(f))) if (live.has(dep)) linked.add(dep);
        const [head, ...rest] = [...linked];
        if (head === undefined) continue;
        for (const f of rest) sets.union(head, f);
        if (!firstError.has(head)) firstError.set(head, e);
      }
      // nothing attributable: withdraw everything rather than leave new errors behind
      if (firstError.size === 0) {
        const [first] = [...live.keys()];
        for (const f of live.keys()) sets.union(first!, f);
        firstError.set(first!, newErrors[0]!);
      }
      const erring = new Map<string, Found>();
      for (const [f, e] of firstError) if (!erring.has(sets.find(f))) erring.set(sets.find(f), e);
      const byRoot = new Map<string, string[]>();
      for (const f of live.keys()) {
        const root = sets.find(f);
        if (erring.has(root)) (byRoot.get(root) ?? byRoot.set(root, []).get(root)!).push(f);
      }
      const withdrawn = new Set<string>();
      for (const [root, files] of byRoot) {
        const error = erring.get(root)!.text;
        groups.push({ files: files.sort(), error });
        for (const f of files) {
          reverted.push({ change: live.get(f)!, error: files.length > 1 ? `${error}; withdrawn with ${files.length - 1} other file(s) of its group: ${files.filter((x) => x !== f).join(', ')}` : error });
          live.delete(f);
          withdrawn.add(f);
        }
      }
      if (narrow) {
        // the round's imports: every change it checked applied; the next round's: the kept ones
        const reached = reaches((f) => importsOf(f, (x) => live.has(x) || withdrawn.has(x)), withdrawn);
        const stillChanged = reaches((f) => importsOf(f, (x) => live.has(x)), new Set(live.keys()));
        const erred = new Set(newErrors.map((e) => e.file));
        check = new Set([...watched].filter((f) => (reached(f) || erred.has(f)) && stillChanged(f)));
      }
    }
  } finally {
    // the snapshot's baseline stays the unchanged tree for the next guard
    overlay.clear();
  }
  return { kept: [...live.values()], reverted, groups };
}

/** Whether a file's imports, followed transitively along `edges`, reach one of `targets` (the file itself counts). */
function reaches(edges: (f: string) => readonly string[], targets: ReadonlySet<string>): (f: string) => boolean {
  const memo = new Map<string, boolean>();
  return (start: string): boolean => {
    if (memo.has(start)) return memo.get(start)!;
    // iterative (import chains can be long); with no hit, nothing seen reaches a target
    const stack = [start];
    const seen = new Set<string>([start]);
    let hit = false;
    while (stack.length && !hit) {
      const f = stack.pop()!;
      if (targets.has(f) || memo.get(f) === true) hit = true;
      else
        for (const d of edges(f))
          if (!seen.has(d) && memo.get(d) !== false) {
            seen.add(d);
            stack.push(d);
          }
    }
    if (hit) memo.set(start, true);
    else for (const f of seen) memo.set(f, false);
    return hit;
  };
}

/**
 * Which of a file's diagnostic keys (code and message) the unchanged tree's (key → count) does not
 * account for: matched exactly first, then by the message's shape, its quoted parts aside (an error
 * that was there already names the canonical type now that the phase replaced the legacy value,
 * e.g. `Type 'HubOperations' is missing … from type 'WebSocket'` for `Type 'WebSocketManager' …`;
 * the runner's verification takes it as the same one too, scripts/runner/verify.ts). Each error of
 * the unchanged tree accounts for one at most.
 */
function beyond(keys: readonly string[], base: ReadonlyMap<string, number>): number[] {
  const left = new Map(base);
  const open: number[] = [];
  keys.forEach((k, i) => {
    const n = left.get(k) ?? 0;
    if (n > 0) left.set(k, n - 1);
    else open.push(i);
  });
  const shapes = new Map<string, number>();
  for (const [k, n] of left) if (n > 0) shapes.set(shapeOf(k), (shapes.get(shapeOf(k)) ?? 0) + n);
  return open.filter((i) => {
    const s = shapeOf(keys[i]!);
    const n = shapes.get(s) ?? 0;
    if (n > 0) shapes.set(s, n - 1);
    return n === 0;
  });
}

const shapeOf = (key: string): string => key.replace(/'[^'\n]*'|"[^"\n]*"/g, "'…'");

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
