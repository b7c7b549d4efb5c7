/**
 * rewrite-imports renames a legacy class to its canonical name everywhere a file uses it, casts
 * included. A cast of a place the app stores a legacy instance in (`(global as any).wsManager as
 * UnifiedWebSocketManager`, the manager built at boot) would then claim a canonical value the
 * place does not hold, and the type guard cannot tell when the only reader checks truthiness.
 * After the syntax run and its type guard, the changed files' casts are asked what their place
 * holds (engine/constructions.ts, remove-adapters' answer); a cast of a place some construction
 * still fills with a legacy instance after this phase keeps its legacy binding: its file is
 * rewritten again with that binding held (PhaseContext.heldCasts), and the guard checks the
 * result. No program is built unless a changed file casts to a name it imported from a legacy
 * module (a cheap parse of the changed files' old texts).
 */
import type { Project, SourceFile } from 'ts-morph';
import { Node, SyntaxKind } from 'ts-morph';
import ts from '../engine/ts-api.js';
import { BootConstructions, bare } from '../engine/constructions.js';
import { collectGarbage } from '../engine/memory.js';
import { parseSource } from '../engine/parse.js';
import { processFile } from '../engine/process.js';
import { makeRuntime, type PhaseRuntime } from '../engine/transform.js';
import { guardSyntaxChanges, type SyntaxChange, type SyntaxChanges } from '../phase/syntax.js';
import type { RepoSnapshot } from '../snapshot/snapshot.js';
import type { SsotManifest } from '../../manifest/types.js';
import { TargetClassifier } from './targets.js';
import { rewriteImportsTransform } from './transform.js';

/** A changed file of the run: its text before and after (a spilled view reads them on access). */
export interface RewrittenFile {
  file: string;
  before: string;
  after: string;
}

/** A cast-shaped text (`as Name`, `<Name>`) worth parsing; import aliases match too, which is fine. */
const CAST_SHAPE = /\bas\s+[A-Za-z_$]|<[A-Za-z_$][\w$.]*>/;

/**
 * The files among `changes` whose old text casts to a name it imports from a legacy module (the
 * leftmost name of the cast's type: `Legacy`, `ns.Legacy`): only their casts can be retyped. With
 * each, the legacy export names its casts reach (undefined: a default or whole-module binding
 * whose class name the text need not spell).
 */
export function castingFiles(changes: readonly RewrittenFile[], rt: PhaseRuntime): Array<{ file: string; names: Set<string> | undefined }> {
  return changes.flatMap((c) => {
    if (!CAST_SHAPE.test(c.before)) return [];
    const names = castsToLegacyImport(c.file, c.before, rt);
    return names === null ? [] : [{ file: c.file, names }];
  });
}

function castsToLegacyImport(file: string, text: string, rt: PhaseRuntime): Set<string> | undefined | null {
  const { sf } = parseSource(file, text);
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
    if ((ts.isAsExpression(n) || ts.isTypeAssertionExpression(n)) && ts.isTypeReferenceNode(n.type) && legacyNames.has(leftmost(n.type.typeName))) {
      const exported = legacyNames.get(leftmost(n.type.typeName));
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
 * File -> local name -> why: the legacy bindings that casts in `castFiles` name as the type of a
 * place still holding a legacy instance once `changes` are written. The project holds the
 * repo as it is (before the phase); a construction's file among `changes` is then read as
 * rewritten, and its instances count as legacy only if it still constructs their class.
 */
export function heldCastsOf(root: string, manifest: SsotManifest, project: Project, castFiles: readonly string[], constructionFiles: readonly string[], changes: readonly RewrittenFile[]): Record<string, Record<string, string>> {
  const sfOf = (f: string): SourceFile | undefined => project.getSourceFile(`${root}/${f}`);
  const constructions = new BootConstructions(root, manifest);
  constructions.scan([...new Set([...constructionFiles, ...castFiles])].flatMap((f) => sfOf(f) ?? []));
  const found: Array<{ file: string; name: string; place: string; line: number; held: ReturnType<BootConstructions['castOf']> & object }> = [];
  for (const file of castFiles) {
    for (const cast of sfOf(file)?.getDescendants() ?? []) {
      if (!Node.isAsExpression(cast) && !Node.isTypeAssertion(cast)) continue;
      const held = constructions.castOf(cast);
      const typeNode = cast.getTypeNode();
      if (!held || !Node.isTypeReference(typeNode)) continue;
      let name: Node = typeNode.getTypeName();
      while (Node.isQualifiedName(name)) name = name.getLeft();
      found.push({ file, name: name.getText(), place: bare(cast.getExpression()).getText(), line: cast.getStartLineNumber(), held });
    }
  }
  if (found.length === 0) return {};
  // what each rewritten construction file still constructs as legacy, read from its new text
  const stillLegacy = new Map<string, Set<string>>();
  const after = new Map(changes.map((c) => [c.file, c]));
  for (const file of new Set(found.flatMap((f) => f.held.map((h) => h.at.slice(0, h.at.lastIndexOf(':')))))) {
    const change = after.get(file);
    const sf = change && sfOf(file);
    if (!sf) continue;
    sf.replaceWithText(change.after.replace(/^\uFEFF/, ''));
    stillLegacy.set(file, new Set(sf.getDescendantsOfKind(SyntaxKind.NewExpression).flatMap((n) => {
      const c = constructions.classOf(n);
      return c ? [`${c.module}#${c.class}`] : [];
    })));
  }
  const out: Record<string, Record<string, string>> = {};
  for (const f of found) {
    const legacy = f.held.find((h) => {
      const file = h.at.slice(0, h.at.lastIndexOf(':'));
      return stillLegacy.get(file)?.has(`${h.module}#${h.class}`) ?? true;
    });
    if (!legacy) continue;
    (out[f.file] ??= {})[f.name] ??= `\`${f.place}\` holds the legacy ${legacy.class} constructed at ${legacy.at}, which stays legacy in this phase: the cast at line ${f.line} keeps its legacy type (remove-adapters retypes it once a constructions[] entry rewrites that construction)`;
  }
  return out;
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
    return rewriteImportsTransform.prefilter(text, rt) || new TargetClassifier(rt, f).legacyOfFile() !== undefined;
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
