/**
 * rewrite-imports renames a legacy class to its canonical name everywhere a file uses it, casts
 * included. A cast of a place the app stores a legacy instance in (`(global as any).wsManager as
 * UnifiedWebSocketManager`, the manager built at boot) would then claim a canonical value the
 * place does not hold, and the type guard cannot tell when the only reader checks truthiness.
 * After the syntax run and its type guard, the changed files' casts are asked what their place
 * holds (engine/constructions.ts, remove-adapters' answer); a cast of a place some construction
 * still fills with a legacy instance after this phase keeps its legacy binding: its file is
 * rewritten again with that binding held (PhaseContext.heldCasts), and the guard checks the
 * result. No program is built, nor ts-morph loaded, unless a changed file casts to a name it
 * imported from a legacy module (a cheap parse of the changed files' old texts); the type-aware
 * part is held-cast-scan.ts.
 */
import ts from '../engine/ts-api.js';
import { castTypeReference } from '../engine/cast-type.js';
import { collectGarbage } from '../engine/memory.js';
import { parseBareTree } from '../engine/parse.js';
import { processFile } from '../engine/process.js';
import { makeRuntime, prefilter, type PhaseRuntime } from '../engine/transform.js';
import { guardSyntaxChanges, type SyntaxChange, type SyntaxChanges } from '../phase/syntax.js';
import type { RepoSnapshot } from '../snapshot/snapshot.js';
import { TargetClassifier } from './targets.js';
import { rewriteImportsTransform } from './transform.js';

/** A changed file of the run: its text before and after (a spilled view reads them on access). */
export interface RewrittenFile {
  file: string;
  before: string;
  after: string;
}

// Import and export lists (`{ A as B, C }` with names, commas and comments, `* as ns`), from a
// line's start: blanked before the cast test, because at 100% affected nearly every changed file
// aliases an import, and parsing each, on the main thread after the pool, cost ~1.7 s of 9. Only
// names and comments between the braces, and the keyword first on its line (not in a comment),
// so no code is blanked; a list with a string name is parsed, as before.
const IMPORT_EXPORT_LIST = /^[ \t]*(?:import|export)\s+(?:type\s+)?(?:[\w$]+\s*,\s*)?(?:\{(?:[\w$\s,]|\/\/[^\n]*|\/\*(?:[^*]|\*(?!\/))*\*\/)*\}|\*\s*as\s+[\w$]+)/gm;
// `as Name` but not a keyword type (`as const`, `as any`, … are no type reference), and `<Name>`
// where an assertion can stand — not right after a name, `)` or `]` (`Promise<void>`, `f<T>()`).
// Either may be a union with `undefined` / `null` (`as undefined | Legacy`, `<Legacy | null>`).
const CAST_SHAPE = /\bas\s+\(?\s*(?:(?:undefined|null)\s*\|\s*)*(?!(?:const|any|unknown|string|number|boolean|bigint|symbol|object|never|void|undefined|null|this|typeof|keyof|readonly|unique)\b)[A-Za-z_$]|(?:^|[^\w$)\]])<\(?\s*(?:(?:undefined|null)\s*\|\s*)*[A-Za-z_$][\w$.]*\s*[|>)]/m;

/** Whether `text` may cast to a name (worth parsing for casts to a legacy import); never false for a real cast. */
export function mayCast(text: string): boolean {
  return CAST_SHAPE.test(text.replace(IMPORT_EXPORT_LIST, ''));
}

/**
 * The files among `changes` whose old text casts to a name it imports from a legacy module (the
 * leftmost name of the cast's type: `Legacy`, `ns.Legacy`): only their casts can be retyped. With
 * each, the legacy export names its casts reach (undefined: a default or whole-module binding
 * whose class name the text need not spell).
 */
export function castingFiles(changes: readonly RewrittenFile[], rt: PhaseRuntime): Array<{ file: string; names: Set<string> | undefined }> {
  return changes.flatMap((c) => {
    if (!mayCast(c.before)) return [];
    const names = castsToLegacyImport(c.file, c.before, rt);
    return names === null ? [] : [{ file: c.file, names }];
  });
}

function castsToLegacyImport(file: string, text: string, rt: PhaseRuntime): Set<string> | undefined | null {
  // read from the top down only (statements, then a walk of the casts): no parents, no JSDoc
  const sf = parseBareTree(file, text);
  const targets = new TargetClassifier(rt, file);
  /** local name -> the legacy export it binds (undefined: default or the whole module) */
  const legacyNames = new Map<string, string | undefined>();
  for (const st of sf.statements) {
    const spec = ts.isImportDeclaration(st) ? st.moduleSpecifier : ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference) ? st.moduleReference.expression : undefined;
    if (!spec || !ts.isStringLiteral(spec) || targets.classify(spec.text)?.kind !== 'legacy') continue;
    if (ts.isImportEqualsDeclaration(st)) legacyNames.set(st.name.text, undefined);
    const clause = ts.isImportDeclaration(st) ? st.importClause : undefined;
    if (clause?.name) legacyNames.set(clause.name.text, undefined);
    const nb = clause?.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) legacyNames.set(nb.name.text, undefined);
    else if (nb) for (const el of nb.elements) legacyNames.set(el.name.text, (el.propertyName ?? el.name).text);
  }
  if (legacyNames.size === 0) return null;
  let names: Set<string> | undefined | null = null;
  const visit = (n: ts.Node): void => {
    const ref = ts.isAsExpression(n) || ts.isTypeAssertionExpression(n) ? castTypeReference(ts, n.type) : undefined;
    if (ref && legacyNames.has(leftmost(ref.typeName))) {
      const exported = legacyNames.get(leftmost(ref.typeName));
      if (exported === undefined) names = undefined;
      else if (names !== undefined) (names ??= new Set()).add(exported);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return names;
}

function leftmost(name: ts.EntityName): string {
  return ts.isIdentifier(name) ? name.text : leftmost(name.left);
}

/**
 * The files a legacy construction can be in: they mention `new` and may reach a legacy module (or
 * are one), and spell one of `names` (the classes the casts name) when those are known.
 */
export function constructionCandidates(files: readonly string[], read: (f: string) => string | undefined, rt: PhaseRuntime, names: ReadonlySet<string> | undefined): string[] {
  return files.filter((f) => {
    const text = read(f);
    if (text === undefined || !/\bnew\s/.test(text)) return false;
    if (names && ![...names].some((n) => text.includes(n))) return false;
    return prefilter(rewriteImportsTransform, text, rt) || new TargetClassifier(rt, f).legacyOfFile() !== undefined;
  });
}

/**
 * The run's changes with held casts settled: each file a held cast is in rewritten again with those
 * bindings kept legacy (its report replaced), then, when the run had its type guard, the guard
 * over the whole new set.
 */
export async function settleHeldCasts(snapshot: RepoSnapshot, run: SyntaxChanges, typeGuard: boolean): Promise<SyntaxChanges> {
  const rt = makeRuntime(snapshot.context);
  const casting = castingFiles(run.changes, rt);
  if (casting.length === 0) return run;
  const names = casting.some((c) => c.names === undefined) ? undefined : new Set(casting.flatMap((c) => [...c.names!]));
  const castFiles = casting.map((c) => c.file);
  const ctorFiles = constructionCandidates(snapshot.candidates, (f) => snapshot.read(f), rt, names);
  // ts-morph (and the checker) only now: a run without such a cast never loads them
  const { heldCastsOf } = await import('./held-cast-scan.js');
  const project = await snapshot.project([...castFiles, ...ctorFiles]);
  const held = heldCastsOf(snapshot.repo, snapshot.manifest, project, castFiles, ctorFiles, run.changes);
  snapshot.releaseProject(); // the guard's program replaces it
  collectGarbage();
  if (Object.keys(held).length === 0) return run;
  const heldCtx = makeRuntime({ ...snapshot.context, heldCasts: held });
  const files = run.files.map((r) => ({ ...r }));
  let changes: SyntaxChange[] = run.changes.filter((c) => !held[c.file]);
  for (const c of run.changes) {
    if (!held[c.file]) continue;
    const p = processFile(c.file, c.before, rewriteImportsTransform, heldCtx);
    files[files.findIndex((r) => r.file === c.file)] = p.report;
    if (p.after !== undefined) changes.push({ file: c.file, before: c.before, after: p.after });
  }
  if (typeGuard) changes = await guardSyntaxChanges(snapshot, changes, files);
  return { ...run, files, changes };
}
