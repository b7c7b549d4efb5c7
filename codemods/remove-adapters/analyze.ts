/** Phase 4's analysis over a set of files: one project, every type question first, then text splices per file (plan-file.ts). */
import { Node, SyntaxKind, type CallExpression, type Project } from 'ts-morph';
import type { SsotManifest } from '../../manifest/types.js';
import type { ReviewItem } from '../phase/types.js';
import { localRequireCalls } from '../engine/module-kind.js';
import { parseSource } from '../engine/parse.js';
import { applyEdits } from '../engine/edits.js';
import { parsableChanges } from '../engine/output-parse.js';
import { floatingPromises, handleFloating } from '../engine/floating.js';
import { directCalls, threadInProject, type ContextSite } from '../context-threading/index.js';
import { heldValue } from './held.js';
import { planConstruction } from './construction-plan.js';
import { Analyzer, planFile, type AnalysisResult, type FileChange, type FilePlan } from './plan-file.js';
import { templatedMembers, templatedNames } from '../../manifest/field-members.js';

/** Strings a file must contain to need this phase (adapter classes, factory entry names). */
export function removeAdaptersTokens(manifest: SsotManifest): string[] {
  const t = new Set<string>();
  for (const a of manifest.adapters) t.add(a.class);
  for (const e of manifest.factory?.entries ?? []) t.add(e.call.split('.')[0]!);
  if (manifest.canonical.factory) t.add(manifest.canonical.factory); // called without its context through require()
  // a legacy class's members are used on values whose type the file may never name (and destructured)
  for (const c of manifest.classes) for (const m of [...templatedMembers(c.members), ...(c.legacyMembers ?? [])]) t.add(m);
  // a free function (functions[]), called through any import form
  for (const f of manifest.functions) for (const name of templatedNames(f.templates)) t.add(name);
  // …and under a name a legacy barrel re-exports it as (`export { sendToUser as push }`): such a file names the barrel's path
  if (manifest.functions.length) for (const l of manifest.legacy) t.add(l.module.split('/').filter((s) => s !== 'index').pop()!);
  // a boot construction, and a cast naming the class of an instance one stored (constructions.ts)
  for (const c of [...(manifest.constructions ?? []), ...manifest.classes]) t.add(c.class);
  // a CommonJS object manager (`"class": "default"`, `module.exports = { … }`) is loaded by its path, never named:
  // a file calling only an untemplated member of it names the module's path (its use must be found and marked)
  for (const c of manifest.classes) if (c.class === 'default') t.add(c.module.split('/').filter((s) => s !== 'index').pop()!);
  // an exported instance read as a value (instances[]; under another name, its file calls members too)
  for (const x of manifest.instances ?? []) t.add(x.name);
  return [...t];
}

/**
 * `files` are repo-relative; `project(files)` loads them (and what they import) once. Files
 * that do not parse are reported and left byte-identical. `reaching(planned)`, when given, is
 * every file that can see a declaration of the planned files (their importers, transitively,
 * and global declarations): callers are looked for there only, not in every file of the repo.
 */
export function analyzeRemoveAdapters(root: string, manifest: SsotManifest, files: readonly string[], read: (f: string) => string | undefined, project: (files: readonly string[]) => Project, reaching?: (files: Iterable<string>) => ReadonlySet<string> | undefined): AnalysisResult {
  // A field with templates per member of it (`sockets.set`) is rewritten use by use; one use left as
  // written (no template covers it, or it was marked) would keep reading the field while the others
  // went to the hub: one state in two stores. Such a field is planned again held — none of its uses
  // rewritten, the uncovered ones still marked — and listed with the use that holds it.
  const held = new Map<string, ReviewItem>();
  // uses marked for want of a context, by the plan before their field was held (Analyzer.heldContextMarks)
  const contextMarks = new Map<string, string>();
  for (let round = 0; ; round++) {
    const r = analyzeOnce(root, manifest, files, read, project, reaching, new Set(held.keys()), contextMarks);
    // a field not held in this plan: this plan's marks replace the earlier ones (key: file#Class.field#n)
    for (const k of [...contextMarks.keys()]) if (!held.has(k.split('#')[1]!)) contextMarks.delete(k);
    for (const [k, m] of r.fieldContextMarks ?? []) contextMarks.set(k, m);
    const fresh = [...(r.fieldConflicts ?? [])].filter(([k]) => !held.has(k));
    if (fresh.length === 0 || round >= 3) {
      for (const [key, first] of held) {
        // the marked use as this plan placed it (its line in this output); the first plan's when this one no longer marks it
        const why = r.fieldMarks?.get(key) ?? first;
        r.needsReview.push({ file: why.file, line: why.line, message: `${key}: no use of it is rewritten through its templates per member, since this use is not (${why.message}); one state, not two stores` });
      }
      return r;
    }
    for (const [k, why] of fresh) held.set(k, why);
  }
}

function analyzeOnce(root: string, manifest: SsotManifest, files: readonly string[], read: (f: string) => string | undefined, project: (files: readonly string[]) => Project, reaching: ((files: Iterable<string>) => ReadonlySet<string> | undefined) | undefined, heldFields: ReadonlySet<string>, heldContextMarks: ReadonlyMap<string, string>): AnalysisResult {
  const tokens = removeAdaptersTokens(manifest);
  const problems: ReviewItem[] = [];
  const needsReview: ReviewItem[] = [];
  const texts = new Map<string, string>();
  const unplannable = new Set<string>();
  for (const file of files) {
    const text = read(file);
    if (text === undefined || !tokens.some((t) => text.includes(t))) continue;
    const { sf, error } = parseSource(file, text);
    if (error) {
      unplannable.add(file);
      problems.push({ file, line: error.line, message: `does not parse (${error.message}); left untouched` });
      continue;
    }
    // JavaScript: `require` shadowed by a local binding is still taken for a module load by the checker (engine/module-kind.ts), so no rewrite through it is safe
    const local = /\.[cm]?jsx?$/.test(file) ? localRequireCalls(sf).find((c) => tokens.some((t) => c.arguments[0]!.getText(sf).includes(t))) : undefined;
    if (local) {
      unplannable.add(file);
      needsReview.push({ file, line: sf.getLineAndCharacterOfPosition(local.getStart(sf)).line + 1, message: `require here is a local binding, not Node's: ${local.getText(sf)} may not load the legacy module the type checker takes it for; the file is left untouched` });
      continue;
    }
    texts.set(file, text);
  }
  if (texts.size === 0) return { changes: [], needsReview, problems, edits: 0 };
  const p = project([...texts.keys()]);
  const an = new Analyzer(root, manifest);
  an.heldFields = heldFields;
  an.heldContextMarks = heldContextMarks;
  // a construction its entry cannot rewrite (marked) still stores a legacy instance
  an.constructions.scan([...texts.keys()].map((f) => p.getSourceFileOrThrow(`${root}/${f}`)), (n, e) => !('blocked' in planConstruction(n, e.spec, e.index)));
  const editable = new Set(files);
  // a file this phase must leave byte-identical takes no dropped argument either
  an.plannable = (f) => editable.has(f) && !unplannable.has(f) && (texts.has(f) || parseableText(f, read(f)));
  // Every file that may call a function of the planned files (or of their callers, which import
  // them): findReferences searches all the project holds, each call over every file's imports,
  // so a project of the whole repo made the analysis grow with the repo times the sites.
  let callers: readonly string[] | undefined;
  const loadCallers = (): Project => {
    if (!callers) {
      const reach = reaching?.(texts.keys());
      callers = reach ? files.filter((f) => reach.has(f)) : files;
    }
    return project(callers);
  };
  // callers can be in any file the phase edits: the checker must see them all before threading
  const threading = threadFactoryCalls(root, manifest, an, p, texts, read, (f) => editable.has(f), loadCallers);
  // callers of a function with an unused parameter: the checker must see every file that may call it
  let loaded = false;
  an.callersOf = (fn) => {
    if (!loaded) {
      loadCallers();
      loaded = true;
    }
    return directCalls(fn, { root, manifest, editable: (f) => editable.has(f), removing: true });
  };
  const changes: FileChange[] = [];
  const sites = new Map<string, FilePlan['sites']>();
  let edits = threading.edits;
  // The files threading leaves as they are are planned first, on the checker that answered every
  // question so far; putting the threaded texts in replaces the program, and its checker starts
  // over, so it is asked about the threaded files only. (Threading changes no type those files
  // ask about: a call of a threaded function is itself threaded.) Results are kept in file order.
  const planned = new Map<string, { r: FilePlan | undefined; review: ReviewItem[] }>();
  const plan = (file: string, text: string): void => {
    const review: ReviewItem[] = [];
    const removals = an.removals.get(file);
    planned.set(file, { r: planFile(an, manifest, { file, text, sf: p.getSourceFileOrThrow(`${root}/${file}`), ...(removals ? { removals } : {}) }, review), review });
  };
  for (const [file, text] of texts) if (!threading.files.has(file)) plan(file, text);
  threading.apply();
  for (const [file, text] of texts) if (threading.files.has(file)) plan(file, text);
  // A plan that removed an injected parameter dropped its argument at each `new` of the class in
  // other files (plan-file.ts droppedInjected): those files are planned again with the removals,
  // a file the phase had nothing else to do in included (its `new` is this phase's edit now)
  const used = new Map<string, number>();
  for (let round = 0; round < 8; round++) {
    const due = [...an.removals].filter(([f, rs]) => rs.length > (used.get(f) ?? 0));
    if (due.length === 0) break;
    for (const [file, rs] of due) {
      used.set(file, rs.length);
      const text = texts.get(file) ?? read(file);
      if (text === undefined) continue;
      texts.set(file, text);
      plan(file, text);
    }
  }
  for (const [file, text] of texts) {
    const before = threading.files.get(file)?.before ?? text;
    const { r, review } = planned.get(file)!;
    needsReview.push(...review);
    if (r) {
      edits += r.edits;
      sites.set(file, r.sites);
    }
    const after = r?.after ?? text;
    if (after !== before) changes.push({ file, before, after });
  }
  // a planned text that does not parse is refused here, its file left as it was (engine/output-parse.ts)
  const { kept, refused } = parsableChanges(settleFloating(root, p, changes, sites, texts));
  problems.push(...refused);
  return { changes: kept, needsReview, problems, edits, threaded: threading.threaded, markers: threading.markers, heldBack: an.heldBack, castSources: an.castSources, splitUses: an.splitUses, fieldConflicts: new Map([...an.fieldMarked].filter(([k]) => an.fieldRewritten.has(k))), fieldMarks: an.fieldMarked, fieldContextMarks: an.fieldContextMarks, objectUses: an.objectUses, objectRewrites: an.objectRewrites, lookupMarks: an.lookupMarks };
}

/** A file the tokens did not bring in, read for a dropped argument: planned only when it parses. */
function parseableText(file: string, text: string | undefined): boolean {
  return text !== undefined && parseSource(file, text).error === undefined;
}

/**
 * Every analysis question is answered; now the rewritten texts go into the project once, the
 * checker finds the rewritten calls whose promise is dropped (engine/floating.ts), and each gets
 * awaited or its rejection handled. The project gets the original texts back afterwards.
 */
function settleFloating(root: string, p: Project, changes: readonly FileChange[], sites: ReadonlyMap<string, FilePlan['sites']>, inProject: ReadonlyMap<string, string>): FileChange[] {
  const touched = changes.filter((c) => (sites.get(c.file)?.length ?? 0) > 0);
  if (touched.length === 0) return [...changes];
  const strip = (t: string): string => t.replace(/^\uFEFF/, '');
  for (const c of touched) p.createSourceFile(`${root}/${c.file}`, strip(c.after), { overwrite: true });
  const checker = p.getTypeChecker().compilerObject;
  const fixed = new Map<string, string>();
  for (const c of touched) {
    const sf = p.getSourceFileOrThrow(`${root}/${c.file}`).compilerNode;
    const bom = c.after.length - strip(c.after).length;
    const at = new Map(sites.get(c.file)!.map((s) => [`${s.start - bom}:${s.end - bom}`, s.wasPromise === true]));
    // only the rewritten sites are asked about: the checker types nothing else in the file
    const floating = floatingPromises(sf, checker, (e) => at.has(`${e.getStart(sf)}:${e.end}`));
    if (floating.length === 0) continue;
    // a promise the legacy code already dropped is not awaited now (that would change when the code goes on): its rejection is handled
    const fixes = floating.map((e) => handleFloating(e, sf, checker, { await: !at.get(`${e.getStart(sf)}:${e.end}`) })).map((e) => ({ ...e, start: e.start + bom, end: e.end + bom }));
    fixed.set(c.file, applyEdits(c.after, fixes));
  }
  // back to what the project held (threaded texts included)
  for (const c of touched) p.createSourceFile(`${root}/${c.file}`, strip(inProject.get(c.file) ?? c.before), { overwrite: true });
  return changes.map((c) => (fixed.has(c.file) ? { ...c, after: fixed.get(c.file)! } : c));
}

/**
 * Factory calls with no context in scope: context threading gives their functions a context
 * parameter and updates the callers (in the project once `apply()`d, so planFile finds it in scope by type);
 * where a boundary stops it, the call's review item names the chain. Threaded files join `texts`.
 */
function threadFactoryCalls(root: string, manifest: SsotManifest, an: Analyzer, p: Project, texts: Map<string, string>, read: (f: string) => string | undefined, editable: (f: string) => boolean, loadAll: () => void) {
  const sites: ContextSite[] = [];
  const fields = an.templatedFields;
  for (const file of texts.keys()) {
    const sf = p.getSourceFileOrThrow(`${root}/${file}`);
    for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      if (needsContext(an, call)) sites.push(call);
    }
    // a use of a field through a template per member of it (`this.sockets.get(id)!.send(x)`): its
    // site is where the templated chain ends, which is no member call of a legacy class
    if (fields.size) for (const access of sf.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)) {
      if (!fields.has(access.getName())) continue;
      const use = an.fieldTemplateSite(access);
      if (use && fieldNeedsContext(an, access, use)) sites.push(use.site);
    }
  }
  if (sites.length) loadAll();
  const t = threadInProject(p, sites, { root, manifest, editable, isContext: (ty) => an.isContext(ty), contextAt: (c) => threadingContext(an, c) }, read, { defer: true });
  an.noContext = (call) => t.noContext(call);
  for (const [file, { after }] of t.files) texts.set(file, after);
  return t;
}

/**
 * A call that needs the request's context and has none in scope: a factory call (unless it is the
 * receiver of a member whose template builds what it needs without it), or a legacy member call
 * whose template uses `$ctx` / `$user(x)` (unless its receiver is such a factory call: that one is the site).
 */
function needsContext(an: Analyzer, call: CallExpression): boolean {
  const callee = call.getExpression();
  const uses = (n: ReadonlySet<string>): boolean => n.has('ctx') || n.has('user');
  if (an.isBareCanonicalFactoryCall(call)) {
    // nothing to look through: the call itself lacks the context
  } else if (an.isFactoryCall(call)) {
    const parent = call.getParent();
    const member = Node.isPropertyAccessExpression(parent) && parent.getExpression() === call ? an.memberTemplateUses(parent) : undefined;
    if (member && !uses(member) && !member.has('run')) return false;
    // held in a const, a private field or a parameter default only ever used through such members: the value goes, no context needed
    const refs = heldValue(call)?.reads;
    if (refs?.length && refs.every((r) => {
      const m = r.getParent();
      const n = m && Node.isPropertyAccessExpression(m) && m.getExpression() === r ? an.memberTemplateUses(m) : undefined;
      return n !== undefined && !uses(n) && !n.has('run');
    })) return false;
  } else {
    const member = an.memberTemplateUses(callee);
    if (!member || !uses(member)) return false;
    const recv = Node.isPropertyAccessExpression(callee) ? callee.getExpression() : undefined;
    if (recv && Node.isCallExpression(recv) && an.isFactoryCall(recv)) return false;
  }
  const ctx = an.contextFor(call);
  // several candidates is a choice for a person, not a missing parameter
  return 'missing' in ctx && !/several/.test(ctx.missing);
}

/** A field use whose template needs the request's context and has none in scope (as needsContext asks of a member call). */
function fieldNeedsContext(an: Analyzer, access: Node, use: { site: ContextSite; names: ReadonlySet<string> }): boolean {
  if (!use.names.has('ctx') && !use.names.has('user')) return false;
  const recv = Node.isPropertyAccessExpression(access) ? access.getExpression() : undefined;
  if (recv && Node.isCallExpression(recv) && an.isFactoryCall(recv)) return false;
  const ctx = an.contextFor(use.site);
  return 'missing' in ctx && !/several/.test(ctx.missing);
}

/** A caller's context for threading: an optional one on `this` cannot be passed where the context is required, so the chain goes on up. */
function threadingContext(an: Analyzer, call: ContextSite): { text: string } | { missing: string } {
  const ctx = an.contextFor(call);
  return 'optional' in ctx && ctx.optional ? { missing: `only ${ctx.text}, which may be undefined` } : ctx;
}
