/**
 * Phase 1, strangle: each legacy module file keeps its path but becomes a facade over the
 * shim; its original body moves, byte for byte (sibling specifiers aside), to a frozen
 * `<name>.legacy.ts` that the shim's legacy mode serves. Planned without touching the tree.
 */
import { Node, ts, type Project } from 'ts-morph';
import type * as TS from 'typescript';
import type { SsotManifest } from '../../manifest/types.js';
import type { FileWrite, PhasePlan, ReviewItem } from '../phase/types.js';
import { isMemberDeclarationName } from '../engine/references.js';
import { chainTemplates, fieldMemberTemplates, templatedMembers } from '../../manifest/field-members.js';
import { isSourceFile } from '../engine/files.js';
import type { ModuleResolver } from '../engine/resolve.js';
import { detectEol, escapeRegExp } from '../engine/text.js';
import { jsSuffixHabit, repoUsesJsSuffix } from '../engine/specifier.js';
import { sourcePunctuation, type SourcePunctuation } from '../engine/import-style.js';
import { analyzeCommonJs, analyzeModules, memberFacts, objectMemberFacts, staticFacts } from './analyze.js';
import { readCommonJs } from './commonjs.js';
import { strangleReadiness } from './refusal.js';
import { moduleIdOf, normalizeId } from '../engine/module-id.js';
import { DEFAULT_FLIP_LOG_FILE, DEFAULT_TOGGLES_FILE } from '../../shim/toggles-file.js';
import { renderFacade } from './facade.js';
import type { ClassFacts, FunctionFacts } from './facade.js';
import { frozenText } from './frozen.js';
import { objectManagerLiteral } from '../legacy-use/object-managers.js';
import type { TsApi } from './commonjs-shape.js';
import { reachesAnyFile } from '../engine/global-declarations.js';
import { carriedHeader, frozenPathOf, isFacadeText, isJavaScriptFile, legacyModuleIds, moduleFiles } from './layout.js';

/** Telemetry the shim writes under the target's cwd when its tests run: never part of the tree. */
export const TELEMETRY_IGNORE = '.ssot/telemetry/';

export interface StrangleTree {
  /** Absolute root the project's files live under. */
  root: string;
  /** Repo-relative files (the repo listing). */
  files: readonly string[];
  read(file: string): string | undefined;
  resolver: ModuleResolver;
  /** Builds the type-checked project over the given repo-relative files (loaded once). */
  project(files: readonly string[]): Project;
}

export function planStrangleTree(tree: StrangleTree, manifest: SsotManifest): PhasePlan {
  const problems: ReviewItem[] = [];
  const needsReview: ReviewItem[] = [];
  const all = moduleFiles(legacyModuleIds(manifest), tree.files);
  const todo = new Map<string, string>();
  const cjs = new Set<string>();
  const punctOf = new Map<string, SourcePunctuation>();
  const emptied: string[] = [];
  for (const [id, file] of all) {
    const text = tree.read(file);
    if (text === undefined) continue;
    // the one decision discover and init warn with (refusal.ts)
    const ready = strangleReadiness(file, text, tree.files.includes(frozenPathOf(file)) || tree.read(frozenPathOf(file)) !== undefined);
    if (ready.kind === 'facade') continue; // strangled by an earlier run
    // nothing exported, nothing to route (emptied by move-declarations or a split): left as it is; remove-shim deletes it
    if (ready.kind === 'empty') {
      emptied.push(file);
      continue;
    }
    if (ready.kind === 'refused') {
      problems.push({ file, line: ready.line, message: `${ready.reason}; left untouched` });
      continue;
    }
    const { sf } = ready;
    // a CommonJS JavaScript module (require / module.exports) gets a CommonJS facade, its exports read by commonjs.ts
    if (ready.commonJs) cjs.add(file);
    todo.set(id, file);
    // the facade is written in the original's quote and semicolon habit
    punctOf.set(file, sourcePunctuation(sf));
  }
  for (const l of legacyModuleIds(manifest)) if (!all.has(l)) problems.push({ file: 'ssot.config.json', line: 1, message: `legacy module ${l} has no source file in the repo; nothing to strangle` });

  const writes: FileWrite[] = [];
  let edits = 0;
  if (todo.size > 0) {
    const project = tree.project([...todo.values()]);
    const infos = analyzeModules(project, tree.root, manifest, new Map([...todo].filter(([, f]) => !cjs.has(f))));
    for (const [id, file] of todo) {
      if (!cjs.has(file)) continue;
      const cjsSf = project.getSourceFileOrThrow(`${tree.root}/${file}`);
      // `module.exports = { register() {…} }` described as an object manager (`"class": "default"`): routed whole, not per property
      const objectManager = manifest.classes.some((c) => normalizeId(c.module) === id && c.class === 'default') && objectManagerLiteral(ts as unknown as TsApi, cjsSf.compilerNode as unknown as TS.SourceFile, 'default') !== undefined;
      const reading = readCommonJs(cjsSf, objectManager);
      if (!reading.ok) {
        problems.push({ file, line: reading.line, message: `a CommonJS module whose exports cannot be read safely: ${reading.reason}; left untouched` });
        todo.delete(id);
        continue;
      }
      infos.set(id, analyzeCommonJs(project, tree.root, manifest, id, file, [...(reading.whole ? [reading.whole] : []), ...reading.named], all));
    }
    const classes = describedClasses(project, tree, manifest, all, problems, needsReview);
    undescribedInstances(manifest, todo, infos, tree, needsReview);
    let repoHabit: boolean | undefined;
    const functions = describedFunctions(project, tree, manifest, all, needsReview);
    for (const [, file] of todo) {
      const text = tree.read(file)!;
      const info = infos.get([...todo].find(([, f]) => f === file)![0])!;
      // every strangled module (this run's and earlier ones') is reached through its frozen sibling
      const frozen = frozenText(file, text, tree.resolver, all);
      // a module with no relative import of its own follows the repo's habit (read once, lazily)
      const withJs = jsSuffixHabit(text) ?? (repoHabit ??= repoUsesJsSuffix(sourceTexts(tree)));
      const facade = renderFacade({ info, classes, functions, manifest, moduleFiles: all, eol: detectEol(text), bom: text.charCodeAt(0) === 0xfeff, withJs, header: carriedHeader(text), punct: punctOf.get(file)!, commonJs: compilesToCommonJs(project, `${tree.root}/${file}`), typed: !isJavaScriptFile(file), commonJsModule: cjs.has(file) });
      writes.push({ path: frozenPathOf(file), content: frozen.text }, { path: file, content: facade });
      edits += 1 + frozen.edits;
    }
  }
  const frozenFiles = [...all.values()].map(frozenPathOf);
  const gi = gitignoreWrite(tree.read('.gitignore'));
  if (gi !== undefined && (todo.size > 0 || frozenFiles.some((f) => tree.read(f) !== undefined))) writes.push({ path: '.gitignore', content: gi });
  const cfg = tree.read('ssot.config.json');
  const newExclude = [...todo.values()].map(frozenPathOf).filter((f) => !manifest.exclude.includes(f));
  if (cfg !== undefined && newExclude.length) writes.push({ path: 'ssot.config.json', content: withExclude(cfg, newExclude) });
  return {
    phase: 'strangle',
    writes,
    edits,
    summary: `${todo.size ? `${todo.size} legacy module(s) behind shim facades, bodies frozen in ${frozenPatterns([...todo.values()])}` : emptied.length ? 'nothing to strangle' : 'every legacy module is already a facade'}${emptied.length ? `; ${emptied.length} legacy module(s) export nothing (${emptied.join(', ')}): left as they are, remove-shim deletes them` : ''}`,
    needsReview,
    problems,
  };
}


/**
 * Whether a file compiles to CommonJS, where `import.meta` is an error: its implied format under
 * Node16/NodeNext (package.json `type`, `.cts`), else the tsconfig's `module` (CommonJS, AMD, UMD).
 */
function compilesToCommonJs(project: Project, abs: string): boolean {
  const { ModuleKind } = ts;
  const implied = project.getSourceFile(abs)?.compilerNode.impliedNodeFormat;
  if (implied !== undefined) return implied === ModuleKind.CommonJS;
  const kind = project.getCompilerOptions().module;
  return kind === ModuleKind.CommonJS || kind === ModuleKind.AMD || kind === ModuleKind.UMD;
}

/**
 * Members of each class in the manifest's `classes[]` (type checker), and which of those with
 * neither a template nor a legacyMembers entry the repo uses: each such use is a needs-review
 * entry, and the class's facades make that id default to legacy mode. Files naming an unmapped
 * member are loaded into the project only when some class has one (loadFilesNaming).
 */
function describedClasses(project: Project, tree: StrangleTree, manifest: SsotManifest, all: ReadonlyMap<string, string>, problems: ReviewItem[], needsReview: ReviewItem[]): Map<string, ClassFacts> {
  const out = new Map<string, ClassFacts>();
  const described: Array<{ cls: import('ts-morph').ClassDeclaration; i: number }> = [];
  manifest.classes.forEach((spec, i) => {
    const moduleId = normalizeId(spec.module);
    const file = all.get(moduleId);
    const text = file === undefined ? undefined : tree.read(file);
    if (file === undefined || text === undefined || isFacadeText(text)) return;
    const sf = project.getSourceFile(`${tree.root}/${file}`) ?? project.addSourceFileAtPath(`${tree.root}/${file}`);
    const cls = sf.getClass(spec.class);
    // an entry describing an interface has no runtime object to proxy: remove-adapters alone reads it
    if (!cls && (sf.getInterface(spec.class) ?? sf.getTypeAlias(spec.class))) return;
    // an object manager (`export const m = { … }`): its members are the literal's; the facade routes each (defineLegacyObject)
    const literal = cls ? undefined : objectManagerLiteral(ts as unknown as TsApi, sf.compilerNode as unknown as TS.SourceFile, spec.class);
    if (literal) {
      // the const, or the literal itself for `module.exports = { … }` (`"class": "default"`, no const to name)
      const v: Node = sf.getVariableDeclaration(spec.class) ?? morphNodeOf(sf, literal);
      out.set(`${moduleId}#${spec.class}`, objectFacts(project, tree, v, sf, spec, i, problems, needsReview));
      return;
    }
    // a split class left for its app module (move-declarations): app code now, no object for the shim; remove-adapters rewrites its other members
    if (!cls && manifest.splits.some((s) => s.module === spec.module && s.class === spec.class)) return;
    if (!cls) {
      problems.push({ file: 'ssot.config.json', line: 1, message: `classes[${i}]: ${spec.module} declares no class ${spec.class}` });
      return;
    }
    described.push({ cls, i });
    const members = memberFacts(cls);
    const { unmappedUsed } = unmappedMemberUses(project, tree, sf, spec, i, members, 'public member', (name) => {
      const decl = cls.getInstanceMember(name);
      return decl ? (decl as unknown as { findReferencesAsNodes(): import('ts-morph').Node[] }).findReferencesAsNodes() : [];
    }, problems, needsReview);
    const facts: ClassFacts = { members, unmappedUsed };
    if (spec.statics !== undefined) Object.assign(facts, staticsUse(project, tree, cls, sf, spec.statics, spec.class, i, problems, needsReview));
    out.set(`${moduleId}#${spec.class}`, facts);
  });
  rawInstances(project, tree, all, described, new Set((manifest.instances ?? []).map((x) => `${moduleIdOf(x.module)}#${x.name}`)), needsReview);
  // adapters: their members' shapes only (which mapped methods return void)
  for (const a of manifest.adapters) {
    const moduleId = normalizeId(a.module);
    const file = all.get(moduleId);
    const text = file === undefined ? undefined : tree.read(file);
    if (file === undefined || text === undefined || isFacadeText(text) || out.has(`${moduleId}#${a.class}`)) continue;
    const sf = project.getSourceFile(`${tree.root}/${file}`) ?? project.addSourceFileAtPath(`${tree.root}/${file}`);
    const cls = sf.getClass(a.class);
    if (cls) out.set(`${moduleId}#${a.class}`, { members: memberFacts(cls), unmappedUsed: [] });
  }
  return out;
}

/**
 * An object manager's facts, read as a class's are: its members are the literal's properties
 * (analyze.ts objectMemberFacts); a template or legacyMembers entry naming none of them is a
 * problem; a member used outside the module with neither is needs review, and keeps the id legacy.
 */
/** The ts-morph node wrapping `n`, a node of `sf`'s compiler tree. */
function morphNodeOf(sf: import('ts-morph').SourceFile, n: TS.Node): Node {
  const raw = sf.compilerNode as unknown as TS.SourceFile;
  let w: Node | undefined = sf.getDescendantAtStartWithWidth(n.getStart(raw), n.getWidth(raw));
  while (w && (w.compilerNode as unknown) !== n) w = w.getParent();
  return w ?? sf.getDescendants().find((d) => (d.compilerNode as unknown) === n)!;
}

function objectFacts(project: Project, tree: StrangleTree, v: Node, sf: import('ts-morph').SourceFile, spec: SsotManifest['classes'][number], i: number, problems: ReviewItem[], needsReview: ReviewItem[]): ClassFacts {
  const members = objectMemberFacts(v);
  let type: import('ts-morph').Type | undefined;
  const { unmappedUsed } = unmappedMemberUses(project, tree, sf, spec, i, members, 'member', (name) =>
    ((type ??= v.getType()).getProperty(name)?.getDeclarations() ?? []).flatMap((d) => (d as unknown as { findReferencesAsNodes?(): import('ts-morph').Node[] }).findReferencesAsNodes?.() ?? []),
  problems, needsReview);
  return { members, unmappedUsed };
}

/**
 * One rule for a class's and an object manager's members: a template or legacyMembers entry naming
 * no member is a problem (its template is ignored); a member used outside its module with neither
 * is needs review (its facades keep the id in legacy mode), said per use with why it has no template.
 */
function unmappedMemberUses(project: Project, tree: StrangleTree, sf: import('ts-morph').SourceFile, spec: SsotManifest['classes'][number], i: number, members: ClassFacts['members'], noun: string, referencesOf: (name: string) => import('ts-morph').Node[], problems: ReviewItem[], needsReview: ReviewItem[]): Pick<ClassFacts, 'unmappedUsed'> {
  const known = new Set(members.map((m) => m.name));
  // a template per member of a field (`sockets.set`) names the field
  for (const name of [...templatedMembers(spec.members), ...(spec.legacyMembers ?? [])]) {
    if (!known.has(name)) problems.push({ file: 'ssot.config.json', line: 1, message: `classes[${i}]: ${spec.class} has no ${noun} "${name}"; its template is ignored` });
  }
  // the shim serves a field from its template as a whole only: templates per member of it are remove-adapters' (written at each use)
  const perField = fieldMemberTemplates(spec.members);
  const mapped = new Set([...Object.keys(spec.members), ...(spec.legacyMembers ?? [])]);
  const unmapped = members.filter((m) => !mapped.has(m.name));
  const unmappedUsed: string[] = [];
  if (!unmapped.length) return { unmappedUsed };
  loadFilesNaming(project, tree, unmapped.map((m) => m.name));
  for (const m of unmapped) {
    const uses = referencesOf(m.name).filter((n) => n.getSourceFile() !== sf && !n.getSourceFile().getFilePath().includes('/node_modules/') && !isMemberDeclarationName(n));
    if (!uses.length) continue;
    unmappedUsed.push(m.name);
    for (const u of uses)
      needsReview.push({
        file: u.getSourceFile().getFilePath().slice(tree.root.length + 1),
        line: u.getStartLineNumber(),
        message: perField.has(m.name) && m.kind === 'method'
          ? `${spec.class}.${m.name} is used and has chain templates on what it returns (classes[${i}].members["${m.name}.…"]), which remove-adapters writes at each use; a facade cannot see what a caller does with a returned value, so the shim serves ${m.name} only from a plain template for it: its facades keep this id in legacy mode until it has one`
          : perField.has(m.name)
          ? `${spec.class}.${m.name} is used and has templates per member of it (classes[${i}].members["${m.name}.…"]), which remove-adapters writes at each use; the shim serves a field only from a template for it as a whole, so its facades keep this id in legacy mode until it has one or remove-adapters has run`
          : `${spec.class}.${m.name} is used but ssot.config.json classes[${i}] has no template for it (members) and does not leave it to legacy code (legacyMembers); its facades keep this id in legacy mode until it is mapped`,
      });
  }
  return { unmappedUsed };
}

/**
 * The statics of a class whose entry has a statics table: each templated name is a public static
 * (else a problem: its template is ignored), and each static used outside its module with no
 * template is a needs-review entry (it stays the frozen class's, so the id defaults to legacy mode).
 */
function staticsUse(project: Project, tree: StrangleTree, cls: import('ts-morph').ClassDeclaration, sf: import('ts-morph').SourceFile, templates: Record<string, string>, className: string, i: number, problems: ReviewItem[], needsReview: ReviewItem[]): Pick<ClassFacts, 'statics' | 'unmappedStaticsUsed'> {
  const statics = staticFacts(cls);
  const known = new Set(statics.map((m) => m.name));
  for (const name of Object.keys(templates)) if (!known.has(name)) problems.push({ file: 'ssot.config.json', line: 1, message: `classes[${i}]: ${className} has no public static "${name}"; its template in statics is ignored` });
  const unmapped = statics.filter((m) => !Object.hasOwn(templates, m.name));
  const unmappedStaticsUsed: string[] = [];
  if (unmapped.length) {
    loadFilesNaming(project, tree, unmapped.map((m) => m.name));
    for (const m of unmapped) {
      const decl = cls.getStaticMember(m.name);
      if (!decl) continue;
      const uses = (decl as unknown as { findReferencesAsNodes(): import('ts-morph').Node[] })
        .findReferencesAsNodes()
        .filter((n) => n.getSourceFile() !== sf && !n.getSourceFile().getFilePath().includes('/node_modules/') && !isMemberDeclarationName(n));
      if (!uses.length) continue;
      unmappedStaticsUsed.push(m.name);
      for (const u of uses) {
        needsReview.push({
          file: u.getSourceFile().getFilePath().slice(tree.root.length + 1),
          line: u.getStartLineNumber(),
          message: `${className}.${m.name} is a static used in the repo but ssot.config.json classes[${i}].statics has no template for it; it stays the frozen class's and its facades keep this id in legacy mode until it is mapped`,
        });
      }
    }
  }
  return { statics, unmappedStaticsUsed };
}

/**
 * Each module of free functions in the manifest's `functions[]`: which exported functions with no
 * template the repo calls (type checker references outside the module). Each such use is a
 * needs-review entry, and the module's facade keeps its id in legacy mode until it is mapped, as a
 * used member with no template does for a class.
 */
function describedFunctions(project: Project, tree: StrangleTree, manifest: SsotManifest, all: ReadonlyMap<string, string>, needsReview: ReviewItem[]): Map<string, FunctionFacts> {
  const out = new Map<string, FunctionFacts>();
  manifest.functions.forEach((spec, i) => {
    const moduleId = normalizeId(spec.module);
    const file = all.get(moduleId) ?? all.get(`${moduleId}/index`);
    const text = file === undefined ? undefined : tree.read(file);
    if (file === undefined || text === undefined || isFacadeText(text)) return;
    const sf = project.getSourceFile(`${tree.root}/${file}`) ?? project.addSourceFileAtPath(`${tree.root}/${file}`);
    // a CommonJS module's exports are read from its text (commonjs.ts); the search starts at the written name (`exports.name`)
    const read = isJavaScriptFile(file) && sf.getExportedDeclarations().size === 0 ? readCommonJs(sf) : undefined;
    const exported: Array<[string, Node[]]> = read?.ok ? read.named.map((x) => [x.name, [x.nameNode ?? x.node]] as [string, Node[]]) : [...sf.getExportedDeclarations()];
    const unmapped = exported.filter(([name, decls]) => !Object.hasOwn(spec.templates, name) && decls.some((d) => d.getType().getCallSignatures().length > 0));
    const unmappedUsed: string[] = [];
    if (unmapped.length) loadFilesNaming(project, tree, unmapped.map(([n]) => n));
    for (const [name, decls] of unmapped) {
      const decl = decls[0] as unknown as { findReferencesAsNodes?(): import('ts-morph').Node[] };
      // a call through the module's default-exported object (`Repo.drop(id)` of `export default { drop }`)
      // references the object's property, not the function: those count too
      const found = [...(decl.findReferencesAsNodes?.() ?? []), ...defaultObjectProperties(sf, name).flatMap((p) => p.findReferencesAsNodes())];
      const uses = [...new Set(found)].filter((n) => n.getSourceFile() !== sf && !n.getSourceFile().getFilePath().includes('/node_modules/') && !isImportOrExportName(n));
      if (!uses.length) continue;
      unmappedUsed.push(name);
      for (const u of uses)
        needsReview.push({
          file: u.getSourceFile().getFilePath().slice(tree.root.length + 1),
          line: u.getStartLineNumber(),
          message: chainTemplates(spec.templates).has(name)
            ? `${name} of ${spec.module} is used and has chain templates on what it returns (functions[${i}].templates["${name}.…"]), which remove-adapters writes at each use; a facade cannot see what a caller does with a returned value, so the shim serves ${name} only from a plain template for it: its facade keeps this id in legacy mode until it has one`
            : `${name} of ${spec.module} is used but ssot.config.json functions[${i}] has no template for it (templates); its facade keeps this id in legacy mode until it is mapped`,
        });
    }
    out.set(moduleId, { unmappedUsed });
  });
  return out;
}

/** The name nodes of the module's `export default { … }` properties whose value is the function `name` (`{ name }`, `{ key: name }`). */
function defaultObjectProperties(sf: import('ts-morph').SourceFile, name: string): import('ts-morph').Identifier[] {
  const obj = (sf.getExportedDeclarations().get('default') ?? []).find(Node.isObjectLiteralExpression);
  if (!obj) return [];
  return obj.getProperties().flatMap((p) => {
    if (Node.isShorthandPropertyAssignment(p)) return p.getName() === name ? [p.getNameNode()] : [];
    if (Node.isPropertyAssignment(p)) {
      const init = p.getInitializer();
      const key = p.getNameNode();
      return init && Node.isIdentifier(init) && init.getText() === name && Node.isIdentifier(key) ? [key] : [];
    }
    return [];
  });
}

/** A reference that only names the function in an import or export clause (not a use). */
function isImportOrExportName(n: import('ts-morph').Node): boolean {
  const k = n.getParent()?.getKindName();
  return k === 'ImportSpecifier' || k === 'ExportSpecifier' || k === 'ImportClause' || k === 'NamespaceImport';
}

/**
 * An exported instance of a described class (`export const m = new M()`) is routed by the facade
 * (defineLegacyInstance: a Proxy over the frozen instance, per member read). One whose type is a
 * union (`M | undefined`: the value may be absent, and a Proxy needs an object) is re-exported as
 * is: calls through it reach the legacy object in every shim mode and leave no telemetry, so the
 * class's templates do nothing for its users. That is said, once per export.
 */
function rawInstances(project: Project, tree: StrangleTree, all: ReadonlyMap<string, string>, described: ReadonlyArray<{ cls: import('ts-morph').ClassDeclaration; i: number }>, entries: ReadonlySet<string>, needsReview: ReviewItem[]): void {
  if (!described.length) return;
  const bySymbol = new Map(described.flatMap((d) => (d.cls.getSymbol() ? [[d.cls.getSymbol()!, d] as const] : [])));
  for (const file of all.values()) {
    const text = tree.read(file);
    if (text === undefined || isFacadeText(text)) continue;
    const sf = project.getSourceFile(`${tree.root}/${file}`) ?? project.addSourceFileAtPath(`${tree.root}/${file}`);
    for (const st of sf.getVariableStatements()) {
      if (!st.isExported()) continue;
      for (const d of st.getDeclarations()) {
        const name = d.getName();
        const t = d.getType();
        if (!t.isUnion()) continue; // routed by the facade (analyze.ts instanceClass)
        const hit = t.getUnionTypes().map((p) => p.getSymbol()).find((sym) => sym !== undefined && bySymbol.has(sym));
        if (!hit) continue;
        const { cls, i } = bySymbol.get(hit)!;
        needsReview.push({
          file,
          line: d.getStartLineNumber(),
          message: `${name} is an instance of ${cls.getName()} (ssot.config.json classes[${i}]) exported by a legacy module, typed as a union (the value may be absent): the facade re-exports it as is (the shim routes an existing instance only as an object), so calls through it reach the legacy object in every shim mode and leave no telemetry; ${entries.has(`${moduleIdOf(file)}#${name}`) ? 'remove-adapters moves its users off it (instances[])' : 'say what its users get instead in instances[] (remove-adapters rewrites them), or keep them on legacy code knowingly'}`,
        });
      }
    }
  }
}

/**
 * An exported instance of a legacy class no classes[] entry describes (`export const hub = new
 * SocketHub()`, whether instances[] names it or not): the facade has no table to route it by, so
 * it is re-exported as is — its calls reach the legacy object in every shim mode, leave no
 * telemetry, and no toggle moves them. Routing it needs what its members become, which is the
 * person's decision (a classes[] entry: templates, or legacyMembers): said once per export,
 * naming the entry to add (the manifest check refuses an instances[] entry in that state).
 */
function undescribedInstances(manifest: SsotManifest, todo: ReadonlyMap<string, string>, infos: ReadonlyMap<string, { exports: ReadonlyArray<{ name: string; kind: string; instanceOf?: { moduleId: string; name: string } }> }>, tree: StrangleTree, needsReview: ReviewItem[]): void {
  for (const [id, file] of todo) {
    for (const e of infos.get(id)?.exports ?? []) {
      const ref = e.instanceOf;
      if (e.kind !== 'variable' || !ref || manifest.classes.some((c) => normalizeId(c.module) === ref.moduleId && c.class === ref.name)) continue;
      const text = tree.read(file) ?? '';
      const decl = e.name === 'default' ? /^(?:export\s+default|module\.exports\s*=)/m.exec(text) : new RegExp(`\\b(?:const|let|var)\\s+${escapeRegExp(e.name)}\\b`).exec(text);
      const line = decl ? text.slice(0, decl.index).split('\n').length : 1;
      const listed = (manifest.instances ?? []).findIndex((x) => normalizeId(x.module) === id && x.name === e.name);
      needsReview.push({
        file,
        line,
        message: `${e.name} is an instance of ${ref.name} (${ref.moduleId}) exported by a legacy module, and no classes[] entry describes ${ref.name}: the facade passes it through unrouted, so calls through it reach the legacy object in every shim mode and leave no telemetry; add a classes[] entry for ${ref.name} (a template per member its users call, legacyMembers for those kept on legacy code)${listed >= 0 ? ` — instances[${listed}] says what reads of ${e.name} become, not what its members do` : ''}`,
      });
    }
  }
}

/** The names each project's files were already loaded for (a second class with the same member name reads nothing again). */
const loadedNames = new WeakMap<Project, Set<string>>();

/**
 * Loads into `project` (with what they import) the repo's source files whose text contains one of
 * `names`, and those whose declarations reach files that do not import them. A reference search
 * finds a name only where its text occurs (TypeScript's own first test), and such a file's
 * answer depends on nothing but what it imports and the global declarations: the answer is the
 * one a project of the whole repo gives, without parsing and binding the files that cannot hold
 * a use (at 10,000 generated files, all but one).
 */
function loadFilesNaming(project: Project, tree: StrangleTree, names: readonly string[]): void {
  const done = loadedNames.get(project) ?? loadedNames.set(project, new Set()).get(project)!;
  const todo = names.filter((n) => !done.has(n));
  if (!todo.length) return;
  for (const n of todo) done.add(n);
  let added = false;
  for (const f of tree.files) {
    if (!isSourceFile(f) || f.endsWith('.d.ts') || f.startsWith('node_modules/')) continue;
    const text = tree.read(f);
    if (text === undefined || !(todo.some((n) => text.includes(n)) || reachesAnyFile(text))) continue;
    const abs = `${tree.root}/${f}`;
    if (!project.getSourceFile(abs) && project.addSourceFileAtPathIfExists(abs)) added = true;
  }
  if (added) project.resolveSourceFileDependencies();
}

/**
 * `.gitignore` with what the shim writes at run time ignored (its telemetry directory, the
 * toggles file `toggle` and the dashboard flip, the dashboard's flip log), or undefined when all
 * already are: none is part of the tree, and a flip must not make `run` refuse a dirty tree.
 */
export function gitignoreWrite(current: string | undefined): string | undefined {
  const text = current ?? '';
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  if (lines.some((l) => /^\/?\.ssot\/?\*{0,2}$/.test(l))) return undefined;
  const missing = SHIM_RUNTIME_IGNORES.filter((entry) => !lines.some((l) => entry.pattern.test(l)));
  if (missing.length === 0) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const sep = text === '' || text.endsWith('\n') ? '' : eol;
  return `${text}${sep}${missing.map((m) => `${m.comment}${eol}${m.line}${eol}`).join('')}`;
}

/** A .gitignore line naming `file` from the root, with or without its leading slash. */
function exactly(file: string): RegExp {
  return new RegExp(`^/?${escapeRegExp(file)}$`);
}

const SHIM_RUNTIME_IGNORES = [
  { line: TELEMETRY_IGNORE, pattern: /^\/?\.ssot\/telemetry\/?\*{0,2}$/, comment: '# ssot-migrate shim telemetry (written when the app runs under the shim)' },
  { line: DEFAULT_TOGGLES_FILE, pattern: exactly(DEFAULT_TOGGLES_FILE), comment: '# ssot-migrate shim toggles (flipped at run time by `ssot-migrate toggle` or the dashboard)' },
  { line: DEFAULT_FLIP_LOG_FILE, pattern: exactly(DEFAULT_FLIP_LOG_FILE), comment: '# ssot-migrate dashboard flip log (who flipped which mode, appended by `ssot-migrate dashboard`)' },
];

/**
 * The manifest with frozen files added to `exclude`, so later phases leave the rollback target
 * alone. A text splice into the existing array keeps the file's formatting.
 */
export function withExclude(config: string, add: readonly string[]): string {
  const items = add.map((f) => JSON.stringify(f)).join(', ');
  const m = /"exclude"\s*:\s*\[([\s\S]*?)\]/.exec(config);
  if (m) {
    const inner = m[1]!;
    const closeAt = m.index + m[0].length - 1;
    const joined = inner.trim() === '' ? items : `${inner.replace(/\s+$/, '')}, ${items}`;
    const openAt = m.index + m[0].indexOf('[') + 1;
    return config.slice(0, openAt) + joined + (inner.trim() === '' ? '' : inner.slice(inner.replace(/\s+$/, '').length)) + config.slice(closeAt);
  }
  const json = JSON.parse(config.replace(/^\uFEFF/, '')) as Record<string, unknown>;
  json['exclude'] = [...((json['exclude'] as string[] | undefined) ?? []), ...add];
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** The repo's source texts in listing order, read one at a time (the habit vote stops early). */
function* sourceTexts(tree: StrangleTree): Generator<string | undefined> {
  for (const f of tree.files) if (isSourceFile(f) && !f.endsWith('.d.ts')) yield tree.read(f);
}

/**
 * The frozen bodies' names as the commit subject states them: `*.legacy.js` in a JavaScript repo,
 * every extension written when the strangled modules mix them (a subject naming `*.legacy.ts` for
 * `.legacy.js` files would not match the tree).
 */
function frozenPatterns(files: readonly string[]): string {
  const patterns = [...new Set(files.map((f) => { const p = frozenPathOf(f); return `*${p.slice(p.lastIndexOf('.legacy.'))}`; }))].sort();
  return patterns.length > 1 ? `${patterns.slice(0, -1).join(', ')} and ${patterns.at(-1)!}` : patterns[0]!;
}
