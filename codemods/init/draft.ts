/**
 * `init`: drafts `ssot.config.json` from a repository's code with the TypeScript checker.
 * Pure: takes the repo's files (repo-relative path → text) and the canonical package's entry
 * file; returns the draft manifest, what it found (with the evidence) and what the user must
 * still fill in. Nothing here names a legacy API: every legacy name comes from the code.
 *
 * Decisions (documented in codemods/README.md, "init"):
 * - The written manifest always loads. Anything init cannot decide is left OUT of the manifest
 *   and listed in `todo` (a symbol with no canonical counterpart, a used member with no
 *   template, an adapter method, the context type). A used member with no template is the
 *   loader's documented "needs review" state (strangle keeps that id in legacy mode), so a
 *   draft with only optional TODOs is usable as is; `required` TODOs are what remove-adapters
 *   and the factory rewrite need before they are run.
 */
import path from 'node:path';
import ts from '../engine/ts-api.js';
import { isSourceFile } from '../engine/files.js';
import { shareSourceFiles } from '../engine/shared-source-files.js';
import { HUB_EXPORT, commandRunsNoTests, parseManifest, usesHub } from '../../manifest/index.js';
import type { AdapterSpec, FactoryEntry, InstanceSpec, LegacyClassSpec, LegacyFunctionsSpec, LegacyModule, SsotManifest } from '../../manifest/types.js';
import { moduleFiles } from '../strangle/layout.js';
import { draftTsconfig, readTsconfig, type RepoFiles } from './tsconfig.js';
import type { WorkspacePackage } from '../engine/workspaces.js';
import { strangleRefusals, type StrangleRefusal } from '../strangle/refusal.js';
import { findExportedInstances, type ExportedInstance } from './instances.js';
import { registrationHint, registrationKinds } from './registration.js';
import { hubSocketType, resultChainUses } from './chains.js';
import { isAbstractClass, subclassesOf, type Subclass } from './subclasses.js';
import { objectManagerLiteral, objectManagerNames } from '../legacy-use/object-managers.js';

export interface InitInput {
  /** Absolute repo root (used to place the files for the compiler; nothing is read from it). */
  repoDir: string;
  /** Repo-relative, `/`-separated path → text, of the repo's source files and its tsconfig.json files (the root's, a monorepo's packages'). */
  files: ReadonlyMap<string, string>;
  /** Absolute path of the canonical package's entry (canonical/index.ts or its index.d.ts). */
  canonicalEntry: string;
  /** What the manifest writes as `canonical.module` (default "ssot-migrate/canonical"). */
  canonicalModule?: string;
  /** Repo-relative modules the user names as legacy (with or without extension). */
  legacy?: string[];
  /** Deprecation id prefix: capital letters (default "LEG"). */
  idPrefix?: string;
  /**
   * The monorepo's workspace packages by name (engine/workspaces.ts): a bare import of one
   * (`@scope/ws`) resolves into its folder as the package manager's links would, installed or not.
   */
  workspaces?: ReadonlyMap<string, WorkspacePackage>;
}

export interface InitTodo {
  /** Manifest field path the TODO is about, e.g. `legacy[0].symbols.RealtimeHub`. */
  field: string;
  what: string;
  /** true: a phase needs it before it can run; false: the manifest works without it (needs review). */
  required: boolean;
}

export interface MemberUse {
  member: string;
  /** Call sites / property reads in the repo outside the class itself, found by the checker. */
  uses: number;
  /** The prefilled template, when a canonical member has the same name. */
  template?: string;
  /**
   * A lookup returning a socket: the members read on what its calls return (`getConnection.send`
   * ×3), each an optional TODO for a chain template (init/chains.ts); never drafted.
   */
  chains?: MemberUse[];
}

/** A legacy class the app constructs itself (server wiring at boot), as init found it. */
export interface BootConstruction {
  module: string;
  class: string;
  /** `file:line` of the `new` expression. */
  at: string;
  /** The constructor's arguments, as written. */
  args: string[];
  /** Where the instance is stored besides its variable (`(global as any).wsManager`). */
  stored: string[];
  /** Members called on it from a listener registered on one of its arguments (`wss.on('connection', …)`): wiring candidates. */
  wiring: string[];
}

export interface InitFindings {
  legacyModules: { module: string; reason: string }[];
  /** Legacy classes constructed outside legacy modules (constructions[]: what each becomes is a person's decision). */
  constructions: BootConstruction[];
  /** `statics`: the statics code that stays uses (a class used through them, never instantiated: classes[].statics), with their counts. */
  /** `object`: an object manager (an object literal bound to a const, named by it), not a class. */
  classes: { module: string; class: string; members: MemberUse[]; statics?: MemberUse[]; object?: true }[];
  /** Legacy modules of free functions (functions[]): the exported functions code that stays calls, with their call counts. */
  functions: { module: string; functions: MemberUse[] }[];
  adapters: { module: string; class: string; unwrapArg: number; methods: MemberUse[] }[];
  /** Wrappers of a legacy class a DI container builds (no `new` of them): no adapters[] entry, a TODO saying what to write instead. */
  injectedWrappers: { module: string; class: string; at: string; wraps: string; members: MemberUse[] }[];
  factory: FactoryEntry[];
  /**
   * Legacy modules strangle will refuse (strangle/refusal.ts, the decision strangle acts on: a
   * CommonJS module whose exports are decided at run time, …), with file:line and the reason: said
   * now, not when strangle is run.
   */
  strangleRefusals: StrangleRefusal[];
  /**
   * Instances legacy modules build and export themselves that code that stays reaches (every export
   * shape), with their member-call users and their reads as a value; `entry`: the instances[] index
   * drafted for it (an exported const, the shape remove-adapters applies an entry to).
   */
  instances: Array<ExportedInstance & { entry?: number }>;
}

export interface InitResult {
  manifest: SsotManifest;
  /** The manifest as written (JSON, 2-space indent, trailing newline). */
  text: string;
  findings: InitFindings;
  todo: InitTodo[];
}

const modulePath = (rel: string): string => rel.replace(/\.(?:d\.)?[mc]?[tj]sx?$/, '');

/** Canonical types whose same-named members prefill a member template, and the receiver they get. */
/** The canonical type a legacy manager class (made by a factory, wrapped by an adapter) maps to. */
const MANAGER_TYPE = 'ScopedWebSocketManager';

const CANONICAL_RECEIVERS: readonly [typeName: string, receiver: string][] = [
  ['HubOperations', '$hub'],
  ['ScopedWebSocketManager', '$run($ctx)'],
];

export function draftManifest(input: InitInput): InitResult {
  const repoDir = path.resolve(input.repoDir);
  const abs = (rel: string) => path.join(repoDir, rel);
  const rel = (file: string) => path.relative(repoDir, file).split(path.sep).join('/');
  const byAbs = new Map<string, string>();
  for (const [r, text] of input.files) byAbs.set(path.normalize(abs(r)), text);

  // the tsconfig the checker reads: the root's, else (a monorepo) the one holding a --legacy module (tsconfig.ts)
  const sourceKeys = [...input.files.keys()];
  const named = new Set((input.legacy ?? []).map((l) => modulePath(l.replace(/^\.\//, '').split(path.sep).join('/'))));
  // A --legacy module no file of the repo is: said before the program is built (~2 CPU-s on a small repo, more on
  // a large one, for a usage error). The check against the program's files below stays, for a file it does not take in.
  const modules = new Set(sourceKeys.filter((f) => !f.endsWith('.json')).map(modulePath));
  for (const w of named) if (!modules.has(w)) throw new Error(`init: --legacy ${w}: no such source file in the repo`);
  const repo = { files: input.files, repoDir };
  const readTsconfig = draftTsconfig(repo, sourceKeys.filter((f) => named.has(modulePath(f)) && !f.endsWith('.json')));
  const options = withWorkspacePaths(compilerOptions(repo, readTsconfig), input.workspaces, abs);
  const host = ts.createCompilerHost(options, true);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.fileExists = (f) => byAbs.has(path.normalize(f)) || (!isUnder(repoDir, f) && fileExists(f)) || (isUnder(repoDir, f) && f.includes(`${path.sep}node_modules${path.sep}`) && fileExists(f));
  const dirs = new Set<string>();
  for (const f of byAbs.keys()) for (let d = path.dirname(f); d !== path.dirname(d) && !dirs.has(d); d = path.dirname(d)) dirs.add(d);
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (d) => dirs.has(path.normalize(d)) || (directoryExists?.(d) ?? false);
  host.realpath = (f) => f;
  host.readFile = (f) => byAbs.get(path.normalize(f)) ?? readFile(f);
  // what the program reads from outside the repo's files (libs, declarations, the canonical module) is parsed once per process
  shareSourceFiles(host, options, (f) => !byAbs.has(path.normalize(f)));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (f, lang, onError, create) => {
    const text = byAbs.get(path.normalize(f));
    return text !== undefined ? ts.createSourceFile(f, text, lang, true) : getSourceFile(f, lang, onError, create);
  };
  const roots = [...input.files.keys()].filter((f) => isSourceFile(f) && !f.endsWith('.d.ts')).map(abs);
  const program = ts.createProgram({ rootNames: [...roots, input.canonicalEntry], options, host });
  const checker = program.getTypeChecker();
  const repoFiles = program.getSourceFiles().filter((sf) => byAbs.has(path.normalize(sf.fileName)) && !sf.isDeclarationFile);

  // --- canonical side
  const canonicalSf = program.getSourceFile(input.canonicalEntry);
  if (!canonicalSf) throw new Error(`init: cannot read the canonical entry ${input.canonicalEntry}`);
  const canonicalModuleSym = checker.getSymbolAtLocation(canonicalSf);
  const canonicalSyms = canonicalModuleSym ? checker.getExportsOfModule(canonicalModuleSym) : [];
  const canonicalNames = new Set(canonicalSyms.map((s) => s.name));
  const canonicalMembers = new Map<string, { receiver: string; type: string; symbol: ts.Symbol }>();
  for (const [typeName, receiver] of CANONICAL_RECEIVERS) {
    const sym = canonicalSyms.find((s) => s.name === typeName);
    if (!sym) continue;
    const type = checker.getDeclaredTypeOfSymbol(resolve(checker, sym));
    for (const p of type.getProperties()) if (!canonicalMembers.has(p.name)) canonicalMembers.set(p.name, { receiver, type: typeName, symbol: p });
  }

  // --- legacy modules: declare a class/type/interface/enum named like a canonical export, or named by --legacy
  const reasons = new Map<string, string>();
  const wanted = new Set((input.legacy ?? []).map((l) => modulePath(l.replace(/^\.\//, '').split(path.sep).join('/'))));
  for (const w of wanted) {
    const found = repoFiles.some((sf) => modulePath(rel(sf.fileName)) === w);
    if (!found) throw new Error(`init: --legacy ${w}: no such source file in the repo`);
  }
  for (const sf of repoFiles) {
    const m = modulePath(rel(sf.fileName));
    if (wanted.has(m)) {
      reasons.set(m, 'named by --legacy');
      continue;
    }
    const colliding = topLevelTypeDecls(sf).filter((n) => canonicalNames.has(n));
    if (colliding.length > 0) reasons.set(m, `declares ${colliding.join(', ')} (canonical export name${colliding.length > 1 ? 's' : ''})`);
  }
  const declaringModules = new Set(reasons.keys());

  // --- legacy classes: classes declared in legacy modules
  const classDecls: { module: string; decl: ts.ClassDeclaration; sym: ts.Symbol }[] = [];
  for (const sf of repoFiles) {
    const m = modulePath(rel(sf.fileName));
    if (!declaringModules.has(m)) continue;
    for (const st of sf.statements) if (ts.isClassDeclaration(st) && st.name) {
      const sym = checker.getSymbolAtLocation(st.name);
      if (sym) classDecls.push({ module: m, decl: st, sym });
    }
  }
  const isLegacyClassType = (t: ts.Type): ts.ClassDeclaration | undefined => {
    const types = t.isUnion() ? t.types : [t];
    for (const u of types) {
      const s = u.getSymbol() ?? u.aliasSymbol;
      const d = s ? resolve(checker, s).declarations?.find(ts.isClassDeclaration) : undefined;
      if (d && classDecls.some((c) => c.decl === d)) return d;
    }
    return undefined;
  };

  // a legacy class, or an interface declared in a legacy module that a legacy class satisfies
  const wrapsLegacy = (t: ts.Type): ts.ClassDeclaration | undefined => {
    const direct = isLegacyClassType(t);
    if (direct) return direct;
    const d = (t.getSymbol() ?? t.aliasSymbol)?.declarations?.[0];
    if (!d || !(ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d)) || !declaringModules.has(modulePath(rel(d.getSourceFile().fileName)))) return undefined;
    if (t.getProperties().length === 0) return undefined;
    return classDecls.find((c) => checker.isTypeAssignableTo(checker.getTypeAtLocation(c.decl), t))?.decl;
  };
  // adapters: any repo class whose constructor takes a legacy class instance
  const adapterDecls: { module: string; decl: ts.ClassDeclaration; unwrapArg: number; wraps: ts.ClassDeclaration }[] = [];
  for (const sf of repoFiles) for (const st of sf.statements) {
    if (!ts.isClassDeclaration(st) || !st.name) continue;
    const ctor = st.members.find(ts.isConstructorDeclaration);
    if (!ctor) continue;
    const idx = ctor.parameters.findIndex((p) => wrapsLegacy(checker.getTypeAtLocation(p)) !== undefined);
    const wraps = idx >= 0 ? wrapsLegacy(checker.getTypeAtLocation(ctor.parameters[idx]!)) : undefined;
    if (wraps && wraps !== st) adapterDecls.push({ module: modulePath(rel(sf.fileName)), decl: st, unwrapArg: idx, wraps });
  }

  // factory: functions and static methods (anywhere in the repo) returning a legacy class instance
  const factoryDecls: { module: string; call: string; symbol: ts.Symbol; returns: ts.ClassDeclaration }[] = [];
  const returnsLegacy = (d: ts.SignatureDeclaration): ts.ClassDeclaration | undefined => {
    const sig = checker.getSignatureFromDeclaration(d);
    if (!sig) return undefined;
    // a function handed a manager and returning it (recover(m), wrap(m)) passes one through; it makes none
    if (d.parameters.some((p) => isLegacyClassType(checker.getTypeAtLocation(p)) !== undefined)) return undefined;
    let t = checker.getReturnTypeOfSignature(sig);
    const awaited = checker.getAwaitedType(t);
    if (awaited) t = awaited;
    return isLegacyClassType(t);
  };
  for (const sf of repoFiles) {
    const m = modulePath(rel(sf.fileName));
    for (const st of sf.statements) {
      const fr = ts.isFunctionDeclaration(st) && st.name && st.body ? returnsLegacy(st) : undefined;
      if (fr && ts.isFunctionDeclaration(st) && st.name) {
        const s = checker.getSymbolAtLocation(st.name);
        if (s) factoryDecls.push({ module: m, call: st.name.text, symbol: s, returns: fr });
      }
      if (ts.isClassDeclaration(st) && st.name) {
        const cs = checker.getSymbolAtLocation(st.name);
        for (const mem of st.members) {
          const r = ts.isMethodDeclaration(mem) && isStatic(mem) && !isNonPublic(mem) && ts.isIdentifier(mem.name) ? returnsLegacy(mem) : undefined;
          if (r && cs && ts.isIdentifier(mem.name!)) factoryDecls.push({ module: m, call: `${st.name.text}.${mem.name.text}`, symbol: cs, returns: r });
        }
      }
    }
  }

  // a module declaring a factory is a legacy module (its users import the factory from it)
  for (const f of factoryDecls) if (!reasons.has(f.module)) {
    reasons.set(f.module, `declares ${f.call}, which returns a legacy class`);
    declaringModules.add(f.module);
  }
  // modules that re-export (alias) a declaration of a legacy module are legacy modules too, unless they export app code as well
  const appBarrels: Array<{ module: string; from: string[]; app: string[] }> = [];
  const exportsOf = new Map<string, ts.Symbol[]>();
  for (const sf of repoFiles) {
    const ms = checker.getSymbolAtLocation(sf);
    exportsOf.set(modulePath(rel(sf.fileName)), ms ? checker.getExportsOfModule(ms) : []);
  }
  const declModule = (s: ts.Symbol): string | undefined => {
    const d = resolve(checker, s).declarations?.[0];
    return d ? modulePath(rel(d.getSourceFile().fileName)) : undefined;
  };
  for (const sf of repoFiles) {
    const m = modulePath(rel(sf.fileName));
    if (reasons.has(m) || m === modulePath(rel(input.canonicalEntry))) continue;
    const from = new Set<string>();
    const app: string[] = [];
    for (const s of exportsOf.get(m) ?? []) {
      const dm = declModule(s);
      if (dm !== undefined && dm !== m && declaringModules.has(dm)) from.add(dm);
      else app.push(s.name);
    }
    if (from.size === 0) continue;
    reasons.set(m, `re-exports ${[...from].join(', ')}`);
    // a barrel that also exports other things may be app code (hono-backend-messenger's src/ws/index re-exports
    // wsHandlers and the message types beside the legacy instance) or a legacy surface whose extras the manifest
    // maps or moves (a constant the canonical module also has): a person decides, so the draft says so
    if (app.length > 0) appBarrels.push({ module: m, from: [...from], app });
  }
  const legacyModules = [...reasons.keys()].sort();

  // --- member uses, counted with the checker: accesses outside the class's own body
  const uses = new Map<ts.ClassDeclaration, Map<string, number>>();
  const owner = new Map<ts.Declaration, ts.ClassDeclaration>();
  const memberNames = new Map<ts.ClassDeclaration, Set<string>>();
  for (const c of [...classDecls.map((c) => c.decl), ...adapterDecls.map((a) => a.decl)]) {
    uses.set(c, new Map());
    const names = new Set<string>();
    memberNames.set(c, names);
    for (const mem of c.members)
      if (mem.name && !isStatic(mem) && !isNonPublic(mem) && !ts.isConstructorDeclaration(mem)) {
        owner.set(mem, c);
        if (ts.isIdentifier(mem.name)) names.add(mem.name.text);
      }
    // a call through an interface the class implements reaches the class's member at run time
    for (const h of c.heritageClauses ?? [])
      if (h.token === ts.SyntaxKind.ImplementsKeyword)
        for (const t of h.types)
          for (const p of checker.getTypeAtLocation(t).getProperties())
            if (names.has(p.name)) for (const d of p.declarations ?? []) if (!owner.has(d)) owner.set(d, c);
  }
  // statics of legacy classes (a class used through them: classes[].statics), a factory static left out (factory[] is its entry)
  const staticUses = new Map<ts.ClassDeclaration, Map<string, number>>();
  const staticOwner = new Map<ts.Declaration, ts.ClassDeclaration>();
  const factoryStaticNames = new Set(factoryDecls.filter((f) => f.call.includes('.')).map((f) => `${f.module}#${f.call}`));
  for (const c of classDecls) {
    staticUses.set(c.decl, new Map());
    for (const mem of c.decl.members)
      if (mem.name && ts.isIdentifier(mem.name) && isStatic(mem) && !isNonPublic(mem) && !factoryStaticNames.has(`${c.module}#${c.decl.name!.text}.${mem.name.text}`)) staticOwner.set(mem, c.decl);
  }
  // a call through an interface the class satisfies structurally (a contract type, `implements` or not)
  const constructed = new Set<ts.ClassDeclaration>();
  const structural = new Map<ts.Node, ts.ClassDeclaration | null>();
  const structuralOwner = (d: ts.Declaration, name: string): ts.ClassDeclaration | undefined => {
    const iface = d.parent;
    if (!iface || !(ts.isInterfaceDeclaration(iface) || ts.isTypeLiteralNode(iface))) return undefined;
    if (!structural.has(iface)) {
      const it = checker.getTypeAtLocation(iface);
      const c = [...uses.keys()].find((c) => {
        const ct = checker.getTypeAtLocation(c);
        return ct.getProperties().length > 0 && checker.isTypeAssignableTo(ct, it);
      });
      structural.set(iface, c ?? null);
    }
    const c = structural.get(iface) ?? undefined;
    return c && memberNames.get(c)?.has(name) ? c : undefined;
  };
  for (const sf of repoFiles) {
    const visit = (n: ts.Node): void => {
      if (ts.isNewExpression(n)) {
        const s = checker.getSymbolAtLocation(n.expression);
        const d = s ? resolve(checker, s).declarations?.find(ts.isClassDeclaration) : undefined;
        if (d) constructed.add(d);
      }
      if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) {
        const nameNode = ts.isPropertyAccessExpression(n) ? n.name : n.argumentExpression;
        const sym = checker.getSymbolAtLocation(nameNode);
        for (const d of sym?.declarations ?? []) {
          const sc = staticOwner.get(d);
          // outside the class (its subclasses in the app count: they are code that stays)
          if (sc && !isInside(n, sc)) {
            const counts = staticUses.get(sc)!;
            counts.set(sym!.name, (counts.get(sym!.name) ?? 0) + 1);
            break;
          }
          const c = owner.get(d) ?? structuralOwner(d, sym!.name);
          if (c && !isInside(n, c)) {
            const counts = uses.get(c)!;
            counts.set(sym!.name, (counts.get(sym!.name) ?? 0) + 1);
            break;
          }
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }

  // --- assemble
  const todo: InitTodo[] = [];
  // object managers (`export const m = { register() {…} }`) in legacy modules: drafted in classes[] by the const's
  // name (below, after the classes), their members' uses counted here as a class's are (outside the literal)
  const objectManagers: Array<{ module: string; name: string; literal: ts.ObjectLiteralExpression; uses: Map<string, number> }> = [];
  for (const sf of repoFiles) {
    const m = modulePath(rel(sf.fileName));
    if (!legacyModules.includes(m)) continue;
    for (const name of objectManagerNames(ts, sf)) {
      const literal = objectManagerLiteral(ts, sf, name)!;
      const methods = checker.getPropertiesOfType(checker.getTypeAtLocation(literal)).filter((p) => checker.getTypeOfSymbolAtLocation(p, literal).getCallSignatures().length > 0);
      if (methods.length) objectManagers.push({ module: m, name, literal, uses: new Map() });
    }
  }
  if (objectManagers.length) {
    const ownerOf = new Map<ts.Node, (typeof objectManagers)[number]>();
    for (const o of objectManagers) for (const p of o.literal.properties) ownerOf.set(p, o);
    for (const sf of repoFiles) {
      const visit = (n: ts.Node): void => {
        if (ts.isPropertyAccessExpression(n)) {
          const sym = checker.getSymbolAtLocation(n.name);
          const o = sym?.declarations?.map((d) => ownerOf.get(d)).find((x) => x !== undefined);
          if (o && !isInside(n, o.literal)) o.uses.set(sym!.name, (o.uses.get(sym!.name) ?? 0) + 1);
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
  }
  for (const b of appBarrels)
    todo.push({ field: 'legacy', what: `${b.module} re-exports ${b.from.join(', ')} beside other exports (${b.app.slice(0, 4).join(', ')}${b.app.length > 4 ? ', …' : ''}): drafted as a legacy module, so remove-shim deletes it with them — if they are app code, take the module out of legacy[] (remove-adapters then drops its legacy re-export once nothing imports it through ${b.module}), else map them (symbols) or move them (moves)`, required: false });
  // a draft with no legacy module migrates nothing: say so, rather than "0 required"
  if (legacyModules.length === 0) {
    const candidates = managerShaped(checker, repoFiles, canonicalMembers).map((c) => `--legacy ${rel(c.file)} (${c.members.join(', ')})`);
    todo.push({ field: 'legacy', what: `no legacy module found (init finds modules declaring a class, interface, type or enum named like a canonical export, the factories returning their classes and the modules re-exporting them): name the module(s) holding your manager with --legacy PATH (repeatable)${candidates.length ? `; candidates: ${candidates.join(', ')} (a method named like a canonical manager member, with its first parameter)` : ''}`, required: true });
  }
  const prefix = input.idPrefix ?? 'LEG';
  if (!/^[A-Z]+$/.test(prefix)) throw new Error(`init: id prefix "${prefix}": expected capital letters`);
  let next = 1;
  const nextId = () => `${prefix}${String(next++).padStart(3, '0')}`;
  const canonicalFactory = canonicalNames.has('createWebSocketManager') ? 'createWebSocketManager' : [...canonicalNames].find((n) => /^create/.test(n)) ?? [...canonicalNames][0]!;
  const usedCanonical = new Set<string>([canonicalFactory]);
  const factorySymbols = new Set(factoryDecls.map((f) => f.symbol));
  // the legacy classes that play the manager: a factory returns them or an adapter wraps them
  const managerClasses = new Set<ts.Symbol>();
  for (const c of classDecls)
    if (adapterDecls.some((a) => a.wraps === c.decl) || factoryDecls.some((f) => f.returns === c.decl)) managerClasses.add(c.sym);

  // which repo files import each declaration (through any module): the unmapped-symbol TODO says
  // whether leaving it out is harmless, and an exported manager instance is named as one
  const importers = new Map<ts.Symbol, Set<string>>();
  for (const sf of repoFiles)
    for (const st of sf.statements) {
      if (!ts.isImportDeclaration(st) || !st.importClause) continue;
      const { name, namedBindings } = st.importClause;
      const locals = [...(name ? [name] : []), ...(namedBindings && ts.isNamedImports(namedBindings) ? namedBindings.elements.map((e) => e.name) : [])];
      for (const l of locals) {
        const s = checker.getSymbolAtLocation(l);
        if (s) (importers.get(resolve(checker, s)) ?? importers.set(resolve(checker, s), new Set()).get(resolve(checker, s))!).add(rel(sf.fileName));
      }
    }
  const unmappedWhat = (target: ts.Symbol, m: string): string => {
    // legacy modules importing it go with the legacy layer; what counts is the code that stays
    const by = [...(importers.get(target) ?? [])].filter((f) => modulePath(f) !== m && !reasons.has(modulePath(f)));
    // an object manager (drafted in classes[] by its const's name) is the manager too: its calls follow its templates
    if (by.length > 0 && objectManagers.some((o) => o.name === target.name && o.module === declModule(target)))
      return `the object manager itself, imported by ${by.length} non-legacy file(s): its member calls follow its classes[] entry (templates, or legacyMembers); reads of it as a value (passed on, stored) need an instances[] entry`;
    // the legacy class itself (described in classes[]) is the manager, never a declaration to move out
    if (by.length > 0 && classDecls.some((c) => c.sym === target))
      return `the legacy class itself, imported by ${by.length} non-legacy file(s): map it to ${MANAGER_TYPE} where its users only hold a manager (a type), or leave it to legacy code (its \`new\` calls need a factory to replace them)`;
    if (by.length > 0) return `no canonical export of this name, imported by ${by.length} non-legacy file(s): map it, or move it out of the legacy module (moves)`;
    return 'no canonical export of this name: map it, or leave it out (no non-legacy file imports it)';
  };
  // a function (declared, or a const holding one) the legacy module exports with no canonical export of its name:
  // a free function, expanded at each call from functions[].templates rather than renamed (drafted below)
  const freeCandidates = new Map<string, { name: string; target: ts.Symbol }[]>();
  const freeFunction = (target: ts.Symbol): boolean => {
    const d = target.valueDeclaration;
    if (!d || factorySymbols.has(target)) return false;
    return functionOf(d) !== undefined;
  };
  // Only a legacy module of free functions (one that declares no legacy class) has its functions
  // drafted as functions[]: a helper beside a class (an id generator) or a re-exporting module's own
  // code (the app's createApp) is no WebSocket entry point — those keep the "map it or move it" TODO.
  const functionModule = (mod: string | undefined): boolean => mod !== undefined && declaringModules.has(mod) && !classDecls.some((c) => c.module === mod);
  /** A default export that is an object literal whose every property is a free function (`{ f }`, `{ key: f }`). */
  const objectOfFreeFunctions = (target: ts.Symbol): boolean => {
    const d = target.valueDeclaration ?? target.declarations?.[0];
    const obj = d && ts.isExportAssignment(d) ? d.expression : undefined;
    if (!obj || !ts.isObjectLiteralExpression(obj) || obj.properties.length === 0) return false;
    return obj.properties.every((p) => {
      const value = ts.isShorthandPropertyAssignment(p) ? checker.getShorthandAssignmentValueSymbol(p) : ts.isPropertyAssignment(p) && ts.isIdentifier(p.initializer) ? checker.getSymbolAtLocation(p.initializer) : undefined;
      return value !== undefined && freeFunction(resolve(checker, value));
    });
  };
  // instances legacy modules build and export themselves, in every export shape, and how code that stays uses them
  const exported = findExportedInstances({ checker, files: repoFiles, rel, legacyModuleOf: (f) => (reasons.has(modulePath(f)) ? modulePath(f) : undefined), classOf: isLegacyClassType });
  // A manager class code that stays reads as a value — a DI provider listed in `providers: [X]`,
  // `moduleRef.get(X)`, `@Inject(X)`, `instanceof X`, `extends X` — is its own token: renamed to the
  // canonical interface (a type only), each of those reads is TS2693 and the container has nothing
  // to build. Only `new X(…)` (a construction, its own TODO) and `X.member` (statics) are not such reads.
  const valueReads = new Map<ts.Symbol, string | undefined>();
  const valueRead = (target: ts.Symbol): string | undefined => {
    if (valueReads.has(target)) return valueReads.get(target);
    let at: string | undefined;
    for (const sf of repoFiles) {
      if (at !== undefined) break;
      if (reasons.has(modulePath(rel(sf.fileName))) || !sf.text.includes(target.name)) continue;
      const visit = (n: ts.Node): void => {
        if (at !== undefined) return;
        if (ts.isIdentifier(n) && n.text === target.name && readAsValue(n)) {
          const sym = checker.getSymbolAtLocation(n);
          if (sym && resolve(checker, sym) === target) at = `${rel(sf.fileName)}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    valueReads.set(target, at);
    return at;
  };
  const classAsValueWhat = (at: string): string =>
    `the legacy class itself, read as a value by code that stays (${at}: a DI provider's token, an argument, instanceof): not mapped to ${MANAGER_TYPE}, an interface the container cannot build and a type TS2693 refuses as a value; keep the class — a splits entry keeps the app state it holds and its name as the token, a moves entry when all of it is app code`;
  // A legacy class other classes extend is a base, not a manager its users hold: renamed to the
  // canonical interface, `extends` would name a type (TS2689) and the subclasses would lose the code
  // they inherit (PrintWeave's plugin SDK: an abstract subscription manager a plugin package extends)
  const subclassCache = new Map<ts.Symbol, Subclass[]>();
  const subclasses = (target: ts.Symbol): Subclass[] => subclassCache.get(target) ?? subclassCache.set(target, subclassesOf(checker, repoFiles, target, rel)).get(target)!;
  const staying = (sc: Subclass): boolean => !reasons.has(modulePath(sc.file));
  const listSubclasses = (xs: Subclass[]): string => xs.slice(0, 4).map((x) => `${x.name} at ${x.at}${x.superCalls ? `, ${x.superCalls} super.member call(s)` : ''}`).join('; ') + (xs.length > 4 ? `; and ${xs.length - 4} more` : '');
  const baseClassWhat = (xs: Subclass[]): string =>
    `a base class code that stays extends (${listSubclasses(xs)}): not mapped to ${MANAGER_TYPE} — an interface cannot be extended (TS2689) and the subclasses inherit its code, which the canonical manager does not have. A person decides what the hierarchy is: app code (a protocol, a topic or subscription router) moves out with a moves entry of it and of what it needs from this module (discover proposes them); a manager whose sends the hub should make keeps its class (a splits entry keeping what the subclasses use) with classes[] templates for those sends`;
  const legacyBaseWhat = (target: ts.Symbol, xs: Subclass[]): string =>
    `${isAbstractClass(target.valueDeclaration) ? 'an abstract class' : 'a base class'}${xs.length ? ` the legacy code extends (${listSubclasses(xs)})` : ''}: no manager its users hold itself — they hold ${xs.length ? 'a subclass' : 'a subclass of it'}; not mapped to ${MANAGER_TYPE} (a class extending it would then extend an interface, TS2689): map or move it as its subclasses are, or leave it to legacy code`;
  const legacy: LegacyModule[] = legacyModules.map((m, i) => {
    const symbols: Record<string, string> = {};
    for (const s of exportsOf.get(m) ?? []) {
      const target = resolve(checker, s);
      // the exported name, else the declaration's own name (an alias, a default export)
      const byName = [s.name, target.name].find((n) => n !== 'default' && canonicalNames.has(n));
      if (byName !== undefined) {
        symbols[s.name] = byName;
        usedCanonical.add(byName);
      }
      // a class whose static returns the class itself (a singleton: `Hub.getInstance()`) is the manager
      // its users hold, typed by it (`private hub: Hub`), not a factory: mapping its name to the
      // canonical factory function would turn those types into a function's name
      else if (factorySymbols.has(target) && !managerClasses.has(target)) symbols[s.name] = canonicalFactory;
      // a base class code that stays extends: required at its declaring module (a person decides), said again where re-exported
      else if (classDecls.some((c) => c.sym === target) && subclasses(target).some(staying))
        todo.push({ field: `legacy[${i}].symbols.${s.name}`, what: baseClassWhat(subclasses(target).filter(staying)), required: declModule(s) === m });
      // abstract, or extended only by legacy classes: never the manager its users hold
      else if (classDecls.some((c) => c.sym === target) && (isAbstractClass(target.valueDeclaration) || subclasses(target).length > 0))
        todo.push({ field: `legacy[${i}].symbols.${s.name}`, what: legacyBaseWhat(target, subclasses(target)), required: false });
      else if (managerClasses.has(target) && canonicalNames.has(MANAGER_TYPE) && valueRead(target) !== undefined)
        todo.push({ field: `legacy[${i}].symbols.${s.name}`, what: classAsValueWhat(valueRead(target)!), required: false });
      else if (managerClasses.has(target) && canonicalNames.has(MANAGER_TYPE)) {
        symbols[s.name] = MANAGER_TYPE;
        usedCanonical.add(MANAGER_TYPE);
      } else if (freeFunction(target) && functionModule(declModule(s))) (freeCandidates.get(m) ?? freeCandidates.set(m, []).get(m)!).push({ name: s.name, target });
      // an exported instance: drafted as instances[] below, not a symbol to map
      else if (target.valueDeclaration && exported.declarations.has(target.valueDeclaration)) continue;
      // `export default { save, drop }` of a functions module: its `Repo.save(…)` calls are the
      // functions' own (counted above, rewritten from functions[].templates): nothing to map
      else if (s.name === 'default' && functionModule(declModule(s)) && objectOfFreeFunctions(target)) continue;
      else if (declaringModules.has(declModule(s) ?? '')) todo.push({ field: `legacy[${i}].symbols.${s.name}`, what: unmappedWhat(target, m), required: false });
    }
    return { id: nextId(), module: m, symbols, replacement: `import from '${input.canonicalModule ?? 'ssot-migrate/canonical'}'` };
  });

  const findings: InitFindings = {
    legacyModules: legacyModules.map((m) => ({ module: m, reason: reasons.get(m)! })),
    constructions: [],
    classes: [],
    functions: [],
    adapters: [],
    injectedWrappers: [],
    factory: [],
    strangleRefusals: strangleRefusals(moduleFiles(legacyModules, [...input.files.keys()]), (f) => input.files.get(f)),
    instances: [],
  };
  const adapterSet = new Set(adapterDecls.map((a) => a.decl));
  const memberUses = (c: ts.ClassDeclaration, withTemplates: boolean): MemberUse[] =>
    [...uses.get(c)!.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([member, n]) => {
        const t = withTemplates ? template(c, member) : undefined;
        return { member, uses: n, ...(t !== undefined ? { template: t } : {}) };
      });
  /** Why a same-name canonical member cannot take the legacy member's calls as they are (class → member → why). */
  const unfit = new Map<ts.ClassDeclaration, Map<string, string>>();
  const template = (c: ts.ClassDeclaration, member: string): string | undefined => {
    const can = canonicalMembers.get(member);
    if (!can) return undefined;
    const decl = c.members.find((m) => m.name && ts.isIdentifier(m.name) && m.name.text === member);
    if (decl && (ts.isMethodDeclaration(decl) || ts.isPropertyDeclaration(decl) && decl.initializer && ts.isArrowFunction(decl.initializer))) {
      const fn = ts.isMethodDeclaration(decl) ? decl : (decl.initializer as ts.ArrowFunction);
      const why = parameterMismatch(checker, fn, can.symbol, `${can.receiver}.${member}`);
      if (why !== undefined) {
        (unfit.get(c) ?? unfit.set(c, new Map()).get(c)!).set(member, why);
        return undefined;
      }
      return `${can.receiver}.${member}(${draftArguments(checker, fn, can.symbol)})`;
    }
    return `${can.receiver}.${member}`;
  };

  // lookups returning a socket (what the hub's connect takes): the members code that stays reads on
  // what they return are chain keys (`getConnection.send`), each an optional TODO — a chain template
  // is a decision about what the use becomes (init/chains.ts), so none is drafted
  // (keyed by declaration: a member read through an instance is the class type's instantiated symbol, not its declaration's)
  const declOf = (sym: ts.Symbol | undefined): ts.Declaration | undefined => sym?.valueDeclaration ?? sym?.declarations?.[0];
  const lookupDecls = new Set<ts.Declaration>([...freeCandidates.values()].flat().flatMap((c) => declOf(c.target) ?? []));
  for (const c of classDecls) for (const mem of c.decl.members) if (mem.name && ts.isIdentifier(mem.name) && ts.isMethodDeclaration(mem) && !isNonPublic(mem)) lookupDecls.add(mem);
  const socketType = hubSocketType(checker, canonicalMembers.get('connect')?.symbol);
  const chainUses = socketType === undefined || lookupDecls.size === 0
    ? new Map<ts.Declaration, Map<string, number>>()
    : resultChainUses(checker, repoFiles.filter((sf) => !reasons.has(modulePath(rel(sf.fileName)))), socketType, (call) => {
        const callee = call.expression;
        const nameNode = ts.isPropertyAccessExpression(callee) ? callee.name : ts.isIdentifier(callee) ? callee : undefined;
        const sym = nameNode && checker.getSymbolAtLocation(nameNode);
        const d = sym && declOf(resolve(checker, propertyValue(checker, sym) ?? sym));
        return d && lookupDecls.has(d) ? d : undefined;
      });
  /** The chain keys of a lookup (`field`: its templates table's path), each an optional TODO; its findings. */
  const chainTodos = (field: string, lookup: string, decl: ts.Declaration | undefined): { chains?: MemberUse[] } => {
    const found = decl ? chainUses.get(decl) : undefined;
    if (!found?.size) return {};
    const chains = [...found].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([member, n]) => {
      const key = `${lookup}.${member}`;
      todo.push({ field: `${field}["${key}"]`, what: `${lookup}(…) returns a socket its callers use themselves: \`.${member}\` ${n}× (directly or through a local holding it); a chain template (the lookup's arguments $1…, then the call's) makes that use go through the hub (e.g. a $hub operation); without one it takes ${lookup}'s plain template, the socket the hub registered, and bypasses the hub`, required: false });
      return { member: key, uses: n };
    });
    return { chains };
  };
  const memberDecl = (c: ts.ClassDeclaration, name: string, statics: boolean): ts.Declaration | undefined =>
    c.members.find((m) => m.name && ts.isIdentifier(m.name) && m.name.text === name && isStatic(m) === statics && ts.isMethodDeclaration(m));

  const classes: LegacyClassSpec[] = [];
  for (const c of classDecls) {
    if (adapterSet.has(c.decl)) continue;
    const used = memberUses(c.decl, true);
    const usedStatics = [...staticUses.get(c.decl)!.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    if (used.length === 0 && usedStatics.length === 0) continue;
    const ci = classes.length;
    // statics: a $hub template where a same-name hub operation takes the arguments as they are (the
    // free-function rule: a static has no receiver and no bound context), else an optional TODO saying why
    const statics: Record<string, string> = {};
    const staticFound: MemberUse[] = [];
    for (const [name, n] of usedStatics) {
      const decl = c.decl.members.find((m) => m.name && ts.isIdentifier(m.name) && m.name.text === name && isStatic(m));
      const fn = decl && ts.isMethodDeclaration(decl) ? decl : decl && ts.isPropertyDeclaration(decl) && decl.initializer && (ts.isArrowFunction(decl.initializer) || ts.isFunctionExpression(decl.initializer)) ? decl.initializer : undefined;
      const can = canonicalMembers.get(name);
      const why = can && fn ? parameterMismatch(checker, fn, can.symbol, `${can.receiver}.${name}`) : undefined;
      if (can && fn && why === undefined && can.receiver === '$hub') {
        const t = `$hub.${name}(${draftArguments(checker, fn, can.symbol)})`;
        statics[name] = t;
        usedCanonical.add(HUB_EXPORT);
        staticFound.push({ member: name, uses: n, template: t, ...chainTodos(`classes[${ci}].statics`, name, memberDecl(c.decl, name, true)) });
        continue;
      }
      staticFound.push({ member: name, uses: n, ...chainTodos(`classes[${ci}].statics`, name, memberDecl(c.decl, name, true)) });
      const reason = !fn ? 'a static read, not called: a template without $1..$9 (e.g. $hub.listConnectedUsers())' : can && why !== undefined ? `${why}: a template that converts` : can ? `${can.receiver}.${name} needs the request's context: a template (e.g. $user($1).…, $hub.…)` : 'no canonical operation of this name: a template ($hub.…, $user(x).…, $1..$9)';
      todo.push({ field: `classes[${ci}].statics.${name}`, what: `static used ${n}×, ${reason}; until then strangle keeps this id in legacy mode`, required: false });
      // the TODO suggests a $hub template: its import is drafted, or the person's first template
      // is refused by the manifest check (`uses $hub …: list "hubOperations" in canonical.exports`)
      if (canonicalNames.has(HUB_EXPORT)) usedCanonical.add(HUB_EXPORT);
    }
    // the declared name (a default-exported class's symbol is named `default`)
    findings.classes.push({ module: c.module, class: c.decl.name!.text, members: used, ...(staticFound.length ? { statics: staticFound } : {}) });
    const members: Record<string, string> = {};
    const registers = registrationKinds(checker, new Map(c.decl.members.flatMap((m) => (ts.isMethodDeclaration(m) && m.name && ts.isIdentifier(m.name) && !isStatic(m) ? [[m.name.text, m] as const] : []))));
    for (const u of used) {
      Object.assign(u, chainTodos(`classes[${ci}].members`, u.member, memberDecl(c.decl, u.member, false)));
      if (u.template !== undefined) {
        members[u.member] = u.template;
        if (usesHub(u.template)) usedCanonical.add(HUB_EXPORT); // the import a phase writes for it
      }
      else {
        const why = unfit.get(c.decl)?.get(u.member);
        const reg = registers.get(u.member);
        const hint = reg ? registrationHint(reg.kind, reg.store) : '';
        todo.push({ field: `classes[${ci}].members.${u.member}`, what: (why !== undefined ? `used ${u.uses}×, ${why}: a template that converts, or legacyMembers` : `used ${u.uses}×, no canonical member of this name: a template or legacyMembers`) + hint, required: false });
      }
    }
    classes.push({ module: c.module, class: c.decl.name!.text, members, ...(staticFound.length ? { statics } : {}) });
  }

  // object managers: a classes[] entry named by the const (its members are the literal's; strangle routes it member by
  // member, remove-adapters rewrites its calls); a member used outside it gets a $hub template where a same-name hub
  // operation takes its arguments as they are (it has no bound context, as a static has none), else an optional TODO
  for (const o of objectManagers) {
    const ci = classes.length;
    const used = [...o.uses.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const members: Record<string, string> = {};
    const found: MemberUse[] = [];
    // members that register or unregister a connection: their TODO says which template runs them on both sides (registration)
    const methodsOf = new Map<string, ts.SignatureDeclaration & { body?: ts.Node | undefined }>();
    for (const p of o.literal.properties) {
      if (!p.name || !ts.isIdentifier(p.name)) continue;
      if (ts.isMethodDeclaration(p)) methodsOf.set(p.name.text, p);
      else if (ts.isPropertyAssignment(p) && (ts.isArrowFunction(p.initializer) || ts.isFunctionExpression(p.initializer))) methodsOf.set(p.name.text, p.initializer);
    }
    const registers = registrationKinds(checker, methodsOf);
    for (const [name, n] of used) {
      const prop = o.literal.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === name);
      const fn = prop && ts.isMethodDeclaration(prop) ? prop : prop && ts.isPropertyAssignment(prop) && (ts.isArrowFunction(prop.initializer) || ts.isFunctionExpression(prop.initializer)) ? prop.initializer : undefined;
      const can = canonicalMembers.get(name);
      const why = can && fn ? parameterMismatch(checker, fn, can.symbol, `${can.receiver}.${name}`) : undefined;
      if (can && fn && why === undefined && can.receiver === '$hub') {
        const t = `$hub.${name}(${draftArguments(checker, fn, can.symbol)})`;
        members[name] = t;
        usedCanonical.add(HUB_EXPORT);
        found.push({ member: name, uses: n, template: t });
        continue;
      }
      found.push({ member: name, uses: n });
      const reason = !fn ? 'a field or getter read: a template without $1..$9 (e.g. $hub.listConnectedUsers().length), or legacyMembers' : can && why !== undefined ? `${why}: a template that converts, or legacyMembers` : can ? `${can.receiver}.${name} needs a context the object does not have: a $hub template, or legacyMembers` : 'no canonical operation of this name: a template ($hub.…, $1..$9) or legacyMembers';
      const reg = registers.get(name);
      todo.push({ field: `classes[${ci}].members.${name}`, what: `used ${n}×, ${reason}; until then strangle keeps this id in legacy mode${reg ? registrationHint(reg.kind, reg.store) : ''}`, required: false });
      // each reason suggests a $hub template: its import is drafted (as for statics), or the person's
      // first template is refused by the manifest check (w39011651/MultimediaSystemDemo's object manager)
      if (canonicalNames.has(HUB_EXPORT)) usedCanonical.add(HUB_EXPORT);
    }
    if (!used.length) todo.push({ field: `classes[${ci}]`, what: `${o.name} (${o.module}), an object literal with methods, has no member used outside it: a template per member its users call`, required: false });
    findings.classes.push({ module: o.module, class: o.name, members: found, object: true });
    classes.push({ module: o.module, class: o.name, members });
  }

  // free functions: calls (and other reads) from code that stays, counted with the checker; a
  // template drafted where a canonical operation of the same name takes the function's arguments
  // as they are (the member rule), else a TODO saying why not
  const functions: LegacyFunctionsSpec[] = [];
  if (freeCandidates.size > 0) {
    const callCounts = new Map<ts.Symbol, number>();
    const wantedSyms = new Set([...freeCandidates.values()].flat().map((c) => c.target));
    for (const sf of repoFiles) {
      if (reasons.has(modulePath(rel(sf.fileName)))) continue;
      const visit = (n: ts.Node): void => {
        const at = ts.isPropertyAccessExpression(n) ? n.name : ts.isIdentifier(n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) ? n : undefined;
        // a name bound by an import, or by destructuring (`const { f } = require('./m')`), is no use of it
        const inImport = at !== undefined && (ts.isImportSpecifier(at.parent) || ts.isExportSpecifier(at.parent) || ts.isImportClause(at.parent) || ts.isBindingElement(at.parent));
        if (at && !inImport) {
          const sym = checker.getSymbolAtLocation(at);
          // `Repo.drop(id)` of the module's `export default { drop }`: the object's property, followed to its function
          const target = sym && resolve(checker, propertyValue(checker, sym) ?? sym);
          if (target && wantedSyms.has(target)) callCounts.set(target, (callCounts.get(target) ?? 0) + 1);
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    for (const [m, candidates] of [...freeCandidates].sort(([a], [b]) => a.localeCompare(b))) {
      const used = candidates.filter((c) => (callCounts.get(c.target) ?? 0) > 0);
      if (used.length === 0) continue;
      const fi = functions.length;
      const templates: Record<string, string> = {};
      const found: MemberUse[] = [];
      for (const c of used.sort((a, b) => (callCounts.get(b.target) ?? 0) - (callCounts.get(a.target) ?? 0) || a.name.localeCompare(b.name))) {
        const n = callCounts.get(c.target) ?? 0;
        const d = c.target.valueDeclaration!;
        const fn = functionOf(d)!;
        const can = canonicalMembers.get(c.name);
        const why = can ? parameterMismatch(checker, fn, can.symbol, `${can.receiver}.${c.name}`) : undefined;
        // $run($ctx) needs a context at each call site: only a hub operation is drafted for a function
        if (can && why === undefined && can.receiver === '$hub') {
          const t = `$hub.${c.name}(${draftArguments(checker, fn, can.symbol)})`;
          templates[c.name] = t;
          usedCanonical.add(HUB_EXPORT);
          found.push({ member: c.name, uses: n, template: t, ...chainTodos(`functions[${fi}].templates`, c.name, declOf(c.target)) });
          continue;
        }
        found.push({ member: c.name, uses: n, ...chainTodos(`functions[${fi}].templates`, c.name, declOf(c.target)) });
        const reason = can && why !== undefined ? `${why}: a template that converts` : can ? `${can.receiver}.${c.name} needs the request's context: a template (e.g. $user($1).…, $hub.…)` : 'no canonical operation of this name: a template ($hub.…, $user(x).…, $1..$9)';
        todo.push({ field: `functions[${fi}].templates.${c.name}`, what: `used ${n}×, ${reason}; until then strangle keeps this id in legacy mode`, required: false });
        if (canonicalNames.has(HUB_EXPORT)) usedCanonical.add(HUB_EXPORT); // as for a static: the TODO suggests $hub
      }
      findings.functions.push({ module: m, functions: found });
      functions.push({ module: m, templates });
    }
  }

  // a class that takes a manager but is never constructed and none of whose methods is called is not written
  // A wrapper a DI container builds (decorated, or its constructor's parameters are, and no `new`
  // of it anywhere) is no adapters[] entry: remove-adapters unwraps `new W(m)`, which the code never
  // writes, and the container keeps injecting the legacy class. What migrates its callers is a
  // classes[] entry for its used members (its module a legacy one, the templates those of the
  // wrapped class's members each forwards to): a person's to write, from the TODO list.
  const injectedWrappers = adapterDecls.filter((a) => !constructed.has(a.decl) && diBuilt(a.decl));
  for (const a of injectedWrappers) {
    const used = memberUses(a.decl, false);
    const at = `${rel(a.decl.getSourceFile().fileName)}:${a.decl.getSourceFile().getLineAndCharacterOfPosition(a.decl.name!.getStart()).line + 1}`;
    findings.injectedWrappers.push({ module: a.module, class: a.decl.name!.text, at, wraps: a.wraps.name?.text ?? 'default', members: used });
    const wrapped = a.wraps.name?.text ?? 'a legacy class';
    const members = used.length ? `its used members (${used.map((u) => `${u.member} ${u.uses}×`).join(', ')})` : 'the members its callers use';
    todo.push({ field: 'adapters', what: `${a.decl.name!.text} (${at}) is injected with ${wrapped}, but a DI container builds it (decorated, no \`new\` of it anywhere), so no adapters[] entry is drafted (remove-adapters would look for \`new ${a.decl.name!.text}(…)\` wrappers that do not exist). Its own calls of ${wrapped}'s members follow ${wrapped}'s classes[] templates, and the injected parameter goes once nothing reads it; only if ${a.decl.name!.text} is itself legacy code to retire, list ${a.module} under legacy[] and describe ${members} in a classes[] entry, with the templates of the ${wrapped} members each one forwards to`, required: false });
  }
  const liveAdapters = adapterDecls.filter((a) => !injectedWrappers.includes(a) && (constructed.has(a.decl) || uses.get(a.decl)!.size > 0));
  const adapters: AdapterSpec[] = liveAdapters.map((a, i) => {
    const used = memberUses(a.decl, false);
    findings.adapters.push({ module: a.module, class: a.decl.name!.text, unwrapArg: a.unwrapArg, methods: used });
    for (const u of used) todo.push({ field: `adapters[${i}].methods.${u.member}`, what: `used ${u.uses}×: a template ($m, $1..$9), or leave it out if it only forwards`, required: true });
    return { id: nextId(), module: a.module, class: a.decl.name!.text, unwrapArg: a.unwrapArg, methods: {} };
  });

  // a factory reached through a module that re-exports it counts too; an entry is written only
  // where the module exports it (manifest-check refuses the rest: a class kept private behind an
  // exported instance, `export const m = Hidden.getInstance()`, is called inside its module only)
  const entries: FactoryEntry[] = [];
  for (const f of factoryDecls) {
    const exported = f.call.split('.')[0]!;
    for (const m of [f.module, ...legacyModules.filter((l) => l !== f.module)])
      if ((exportsOf.get(m) ?? []).some((s) => s.name === exported && resolve(checker, s) === f.symbol)) entries.push({ module: m, call: f.call });
  }
  findings.factory = entries;

  // boot constructions: a legacy class built by code that stays (server wiring). What it becomes
  // (a canonical server on the app's http server, its auth, its origins) is a person's decision:
  // drafted in the TODO with what the code shows, never written as a guess
  const adapterModules = new Set(adapterDecls.map((a) => a.module));
  for (const sf of repoFiles) {
    const m = modulePath(rel(sf.fileName));
    if (reasons.has(m) || adapterModules.has(m)) continue;
    const visit = (n: ts.Node): void => {
      if (ts.isNewExpression(n)) {
        const s = checker.getSymbolAtLocation(n.expression);
        const d = s ? resolve(checker, s).declarations?.find(ts.isClassDeclaration) : undefined;
        const c = d ? classDecls.find((x) => x.decl === d) : undefined;
        if (c && !adapterSet.has(c.decl)) findings.constructions.push(bootConstruction(checker, n, c.module, c.sym.name, `${rel(sf.fileName)}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`));
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  const serverType = canonicalNames.has('CanonicalWebSocketServer') ? 'CanonicalWebSocketServer' : undefined;
  findings.constructions.forEach((b) => {
    const draft = { module: b.module, class: b.class, replacement: `<what new ${b.class}(${b.args.join(', ')}) becomes: $1..$9 its arguments${canonicalNames.has('createWebSocketServer') ? `, e.g. await createWebSocketServer({ server: <the app's http server>, path: …, auth: …, allowedOrigins: … })` : ''}>`, ...(b.wiring.length ? { wiring: b.wiring } : {}), ...(serverType && b.stored.length ? { type: serverType } : {}) };
    const where = [b.stored.length ? `stored on ${b.stored.join(', ')}` : '', b.wiring.length ? `wired by ${b.wiring.join(', ')}` : ''].filter(Boolean).join('; ');
    todo.push({ field: 'constructions', what: `new ${b.class}(${b.args.join(', ')}) at ${b.at}${where ? ` (${where})` : ''}: the app builds the legacy manager itself, and what that construction becomes is a person's decision; remove-shim stays refused while it is built. Add to constructions: ${JSON.stringify(draft)}`, required: true });
  });

  // exported instances: an instances[] entry drafted in every export shape (remove-adapters reads
  // them as init does: legacy-use/exported-values.ts), its replacement the process-wide hub operations (the instance was process-wide too); a
  // TODO only where code that stays reads it as a value, whose replacement is a person's decision
  const instances: InstanceSpec[] = [];
  for (const x of exported.instances) {
    if (x.users.length === 0) continue; // no code that stays reaches it: strangle routes it, remove-shim deletes it
    const reads = x.valueReads.length ? `read as a value at ${x.valueReads.join(', ')}` : '';
    const shape = x.form === 'export const' ? `export const ${x.name}` : x.form === 'exports.name' ? `exports.${x.name} = …` : x.form === 'export default object' ? `export default { ${x.name} }` : x.form === 'module.exports object' ? `module.exports = { ${x.name} }` : `${x.form} …`;
    if (canonicalNames.has(HUB_EXPORT)) {
      const entry = instances.length;
      instances.push({ module: x.module, name: x.name, replacement: '$hub' });
      usedCanonical.add(HUB_EXPORT);
      findings.instances.push({ ...x, entry });
      if (reads)
        todo.push({ field: `instances[${entry}].replacement`, what: `${x.name}, an instance of legacy class ${x.class} exported as \`${shape}\` (${x.at}), is ${reads}: drafted as "$hub" (the process-wide hub operations); what those reads become is a person's decision (its member calls follow classes[]); remove-adapters writes it at each read`, required: true });
      continue;
    }
    findings.instances.push({ ...x });
    if (reads)
      todo.push({
        field: 'instances',
        what: `${x.module} exports an instance of legacy class ${x.class} as \`${shape}\` (${x.at}), ${reads}: the canonical module exports no ${HUB_EXPORT} to draft an instances[] entry with, so change those reads by hand (what they become is a person's decision); its member calls follow classes[]; remove-shim stays refused while they read it`,
        required: true,
      });
  }

  const contextType = canonicalNames.has('UserExecutionContext') ? 'UserExecutionContext' : canonicalFactory;
  usedCanonical.add(contextType);
  todo.push({ field: 'canonical.contextType', what: `the repo's per-user context type name (drafted as "${contextType}")`, required: entries.length > 0 });
  const pkg = input.files.get('package.json');
  const pkgJson = pkg ? (JSON.parse(stripBom(pkg)) as { scripts?: Record<string, string>; dependencies?: Record<string, string>; devDependencies?: Record<string, string> }) : {};
  const scripts = pkgJson.scripts ?? {};

  // the repo's own typecheck script, under the spellings teams use (typecheck, type-check, type:check, tsc)
  const typecheckScript = Object.keys(scripts).find((k) => /^(?:type[-:_]?check|tsc)$/i.test(k));
  // the phases type-check with it: in a monorepo with no root tsconfig, the one that holds the legacy modules
  const manifestTsconfig = draftTsconfig({ files: input.files, repoDir: input.repoDir }, [...moduleFiles(legacyModules, sourceKeys).values()]);
  const otherTsconfigs = sourceKeys.filter((f) => f.endsWith('/tsconfig.json'));
  // a repo with no tsconfig at all keeps the default (a JavaScript repo is then checked as checkJs over its sources)
  if (manifestTsconfig === undefined && otherTsconfigs.length > 0) todo.push({ field: 'tsconfig', what: `drafted as "tsconfig.json", which the repo does not have; none of its ${otherTsconfigs.join(', ')} holds ${legacyModules.join(', ')} in its files/include or maps onto it by its paths: the tsconfig the repo is type-checked with (the phases read its paths and type-check with it)`, required: false });
  const noTests = scripts.test ? commandRunsNoTests(scripts.test) : undefined;
  const manifest: SsotManifest = {
    $schema: './node_modules/ssot-migrate/manifest/ssot.schema.json',
    canonical: { module: input.canonicalModule ?? 'ssot-migrate/canonical', exports: [...usedCanonical].sort(), contextType, factory: canonicalFactory },
    legacy,
    adapters,
    classes,
    functions,
    ...(instances.length > 0 ? { instances } : {}),
    ...(entries.length > 0 ? { factory: { id: nextId(), entries, replacement: `${canonicalFactory}($ctx)` } } : {}),
    contextSources: [],
    publicApi: [],
    duplicateTypes: [],
    moves: [],
    splits: [],
    deletions: [],
    customPhases: [],
    comments: { legacyMentions: 'report' },
    // a "test" script that runs nothing and exits 0 (`echo ok`, npm's placeholder edited to `exit 0`) is
    // drafted as "true": the phases are checked by the type-check alone, and the verdicts say no tests ran
    verify: { typecheck: typecheckScript !== undefined ? `npm run ${typecheckScript}` : 'npx tsc --noEmit', test: noTests === 'always-passes' ? 'true' : 'npm test' },
    exclude: [],
    tsconfig: manifestTsconfig ?? 'tsconfig.json',
  };
  if (!scripts.test) todo.push({ field: 'verify.test', what: 'package.json has no "test" script: the command that runs the tests', required: true });
  // `npm init`'s placeholder fails whatever the code does: a phase's "no newly failing test" would
  // hold vacuously (fail before, fail after), so it is no test command
  else if (NPM_PLACEHOLDER_TEST.test(scripts.test)) todo.push({ field: 'verify.test', what: `package.json's "test" script is npm init's placeholder (${scripts.test.trim()}), which always fails, so no phase would be checked by it: the command that runs the tests (a smoke, or "true" where there are none)`, required: true });
  else if (noTests === 'always-fails') todo.push({ field: 'verify.test', what: `package.json's "test" script (${scripts.test.trim()}) runs no tests and always fails, so no phase would be checked by it: the command that runs the tests (a smoke, or "true" where there are none)`, required: true });
  else if (noTests === 'always-passes') todo.push({ field: 'verify.test', what: `package.json's "test" script (${scripts.test.trim()}) runs no tests (it only echoes and exits 0): drafted as "true", so the phases are checked by the type-check alone and their verdicts say no tests ran; name the command that runs the tests, or a smoke that loads the migrated code`, required: false });
  // `npx tsc` in a repo without typescript fetches nothing and fails: every phase would refuse its baseline
  if (typecheckScript === undefined && pkg && !pkgJson.dependencies?.typescript && !pkgJson.devDependencies?.typescript) {
    todo.push({ field: 'verify.typecheck', what: 'drafted as "npx tsc --noEmit", but package.json lists no typescript: install it, or name the command that type-checks this repo (a workspace root\'s tsc, its path)', required: false });
  }
  todo.push({ field: 'duplicateTypes', what: 'drafted as []: types declared more than once', required: false });
  todo.push({ field: 'moves', what: 'drafted as []: declarations that are not legacy but live in a legacy module (discover proposes them), moved out before strangle', required: false });
  if (manifest.classes.length > 0) todo.push({ field: 'splits', what: 'drafted as []: a legacy class that is app state too (members without a template used elsewhere: presence, a log) moves out whole keeping those members (discover proposes them)', required: false });
  // decisions only a person makes: context threading stops at these instead of guessing
  todo.push({ field: 'contextSources', what: 'drafted as []: the entry-point types (an HTTP request, a job payload) a context is built from, e.g. { "type": "Request", "module": "src/http/types", "expression": "$value.ctx" }', required: false });
  todo.push({ field: 'publicApi', what: 'drafted as []: exports other code outside this repo calls, whose signatures must not change', required: false });
  todo.push({ field: 'comments.legacyMentions', what: 'drafted as "report" (the default, left out): comments still naming legacy code are listed by remove-shim and status; "rewrite" renames mapped names and drops a sentence naming the rest with the rest of its paragraph', required: false });
  // `moves`, `splits`, `deletions` and `comments` are written only when there are some (the loader defaults them)
  const { moves: _moves, splits: _splits, deletions: _deletions, comments: _comments, ...written } = manifest;
  const text = JSON.stringify(written, null, 2) + '\n';
  // what init writes must load
  const loaded = parseManifest(text, 'ssot.config.json');
  return { manifest: loaded, text, findings, todo };
}

/**
 * What the code shows of a boot construction: its arguments, the places its variable is stored
 * in (`global.m = m`), and the members called on it from a listener registered on one of its
 * arguments (`wss.on('connection', (ws, req) => m.handleConnection(ws, req))`).
 */
function bootConstruction(checker: ts.TypeChecker, n: ts.NewExpression, module: string, cls: string, at: string): BootConstruction {
  const sf = n.getSourceFile();
  const args = (n.arguments ?? []).map((a) => a.getText(sf));
  const out: BootConstruction = { module, class: cls, at, args, stored: [], wiring: [] };
  let holder: ts.Node = n;
  while (ts.isParenthesizedExpression(holder.parent) || ts.isAwaitExpression(holder.parent)) holder = holder.parent;
  const decl = holder.parent;
  if (ts.isBinaryExpression(decl) && decl.right === holder && decl.operatorToken.kind === ts.SyntaxKind.EqualsToken) out.stored.push(decl.left.getText(sf));
  if (!ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name)) return out;
  const sym = checker.getSymbolAtLocation(decl.name);
  const argSyms = new Set((n.arguments ?? []).map((a) => checker.getSymbolAtLocation(a)).filter((x): x is ts.Symbol => x !== undefined));
  const wiring = new Set<string>();
  const scope = decl.parent.parent.parent;
  const visit = (x: ts.Node): void => {
    if (ts.isIdentifier(x) && x !== decl.name && checker.getSymbolAtLocation(x) === sym) {
      const p = x.parent;
      if (ts.isBinaryExpression(p) && p.right === x && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) out.stored.push(p.left.getText(sf));
      if (ts.isPropertyAccessExpression(p) && p.expression === x && ts.isCallExpression(p.parent) && p.parent.expression === p) {
        // inside a function passed to a call on one of the constructor's arguments (`wss.on(…, fn)`)
        for (let up: ts.Node = p.parent; up !== scope && up.parent; up = up.parent) {
          const call = up.parent;
          if ((ts.isArrowFunction(up) || ts.isFunctionExpression(up)) && ts.isCallExpression(call) && call.arguments.includes(up as ts.Expression) && ts.isPropertyAccessExpression(call.expression)) {
            const target = checker.getSymbolAtLocation(call.expression.expression);
            if (target && argSyms.has(target)) wiring.add(p.name.text);
            break;
          }
        }
      }
    }
    ts.forEachChild(x, visit);
  };
  visit(scope);
  out.wiring = [...wiring];
  return out;
}

/**
 * Top-level classes and interfaces declaring a method shaped like a member of the canonical
 * manager types: its name, and its first parameter's name (`sendToUser(userId, …)`; a database's
 * `connect(url)` is not `connect(userId, …)`). Proposed, never chosen: which module is the
 * manager is the person's call (`--legacy`).
 */
function managerShaped(checker: ts.TypeChecker, files: readonly ts.SourceFile[], canonical: ReadonlyMap<string, { type: string; symbol: ts.Symbol }>): Array<{ file: string; members: string[] }> {
  const firstParam = new Map<string, string>();
  for (const [name, c] of canonical) {
    const at = c.symbol.valueDeclaration ?? c.symbol.declarations?.[0];
    const p = at ? checker.getTypeOfSymbolAtLocation(c.symbol, at).getCallSignatures()[0]?.parameters[0] : undefined;
    if (p) firstParam.set(name, p.name);
  }
  const out: Array<{ file: string; members: string[] }> = [];
  for (const sf of files) {
    const members: string[] = [];
    for (const st of sf.statements) {
      if (!(ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st)) || !st.name) continue;
      for (const m of st.members as ts.NodeArray<ts.ClassElement | ts.TypeElement>) {
        if (!(ts.isMethodDeclaration(m) || ts.isMethodSignature(m)) || !ts.isIdentifier(m.name)) continue;
        const p = m.parameters[0];
        if (p && ts.isIdentifier(p.name) && firstParam.get(m.name.text) === p.name.text) members.push(`${st.name.text}.${m.name.text}`);
      }
    }
    if (members.length) out.push({ file: sf.fileName, members });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

/**
 * Why the calls of a legacy method cannot pass their arguments to the same-name canonical member
 * as they are (`$hub.sendToUser($1, $2)`): more parameters than it takes, or a parameter type not
 * assignable to the canonical one (a numeric user id where the canonical takes a string).
 * Undefined when they fit; a template drafted anyway would only have each rewrite withdrawn by the
 * type guard.
 */
function parameterMismatch(checker: ts.TypeChecker, legacy: ts.SignatureDeclaration, canonical: ts.Symbol, label: string): string | undefined {
  const at = canonical.valueDeclaration ?? canonical.declarations?.[0];
  const sig = at ? checker.getTypeOfSymbolAtLocation(canonical, at).getCallSignatures()[0] : undefined;
  if (!sig) return undefined;
  const shown = (p: ts.Symbol): string => `${p.name}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(p, at!))}`;
  const canonicalParams = `${label}(${sig.parameters.map(shown).join(', ')})`;
  const rest = sig.parameters.some((p) => p.valueDeclaration && ts.isParameter(p.valueDeclaration) && p.valueDeclaration.dotDotDotToken);
  if (!rest && legacy.parameters.length > sig.parameters.length) return `it takes ${legacy.parameters.length} parameter(s), ${canonicalParams} ${sig.parameters.length}`;
  for (let i = 0; i < Math.min(legacy.parameters.length, sig.parameters.length); i++) {
    const lp = legacy.parameters[i]!;
    const from = checker.getTypeAtLocation(lp);
    const to = checker.getTypeOfSymbolAtLocation(sig.parameters[i]!, at!);
    if (!checker.isTypeAssignableTo(from, to)) return `parameter ${i + 1} (${lp.name.getText()}: ${checker.typeToString(from)}) does not fit ${canonicalParams}`;
  }
  return undefined;
}

/** The "test" script `npm init` writes (`echo "Error: no test specified" && exit 1`), quoted either way. */
const NPM_PLACEHOLDER_TEST = /^\s*echo\s+(["'])Error: no test specified\1\s*&&\s*exit\s+1\s*$/;

/**
 * The arguments of a drafted same-name call, `$1, $2, …`, with `$n == null ? $n : String($n)`
 * where the legacy parameter is untyped (`any`: plain JavaScript, or no annotation) and the
 * canonical one is a string. The hub keys users by string; an untyped legacy Map took whatever
 * the app passed — swiftraccoon/signal-web passes SQLite's numeric ids — and `$hub.isOnline(7)`
 * is silently false. `String()` of a string id is that id, so the draft is right for either. A
 * missing id stays missing: `String(undefined)` is the real-looking id "undefined" (a socket
 * registered for it would receive every send whose id was missing), while `undefined` / `null`
 * reach the hub as they are, which refuses them (`InvalidContextError`, field `userId`) or finds
 * nobody (`isOnline` false). An optional canonical parameter (`connectionCount(userId?)`) is
 * `string | undefined`, not drafted with a coercion: there a missing id means "every user".
 */
function draftArguments(checker: ts.TypeChecker, legacy: ts.SignatureDeclaration, canonical: ts.Symbol): string {
  const at = canonical.valueDeclaration ?? canonical.declarations?.[0];
  const sig = at ? checker.getTypeOfSymbolAtLocation(canonical, at).getCallSignatures()[0] : undefined;
  return Array.from({ length: Math.min(legacy.parameters.length, 9) }, (_, k) => {
    const to = sig?.parameters[k];
    const untyped = (checker.getTypeAtLocation(legacy.parameters[k]!).flags & ts.TypeFlags.Any) !== 0;
    const wantsString = to !== undefined && (checker.getTypeOfSymbolAtLocation(to, at!).flags & ts.TypeFlags.String) !== 0;
    const n = `$${k + 1}`;
    return untyped && wantsString ? missingKept(n) : n;
  }).join(', ');
}

/**
 * The workspace packages as `paths` (absolute substitutions, so any baseUrl works): the checker
 * then resolves `@scope/ws` in another package to that package's entry, as the package manager's
 * node_modules link would — the links may not be installed, and a package.json without `main`
 * or `exports` (a TypeScript source package a bundler aliases) has no entry TypeScript finds.
 * A name the repo's own `paths` map already keeps its mapping.
 */
function withWorkspacePaths(options: ts.CompilerOptions, workspaces: ReadonlyMap<string, WorkspacePackage> | undefined, abs: (rel: string) => string): ts.CompilerOptions {
  if (!workspaces || workspaces.size === 0) return options;
  const paths: ts.MapLike<string[]> = { ...(options.paths ?? {}) };
  for (const [name, pkg] of workspaces) {
    paths[name] ??= [...(pkg.entry !== undefined ? [abs(pkg.entry)] : []), abs(`${pkg.dir}/src/index`), abs(`${pkg.dir}/index`)];
    paths[`${name}/*`] ??= [abs(`${pkg.dir}/*`), abs(`${pkg.dir}/src/*`)];
  }
  return { ...options, paths };
}

/** `String(x)` for an id, `x` itself when it is undefined or null (draftArguments). */
const missingKept = (x: string): string => `${x} == null ? ${x} : String(${x})`;

function compilerOptions(repo: RepoFiles, tsconfig = 'tsconfig.json'): ts.CompilerOptions {
  const base: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, skipLibCheck: true, allowJs: true };
  // as tsc reads it: options inherited through `extends` too, paths and baseUrl relative to the config declaring them
  const read = readTsconfig(repo, tsconfig)?.options;
  const opts = read ? { ...base, ...read } : base;
  return { ...opts, noEmit: true, types: [], baseUrl: opts.baseUrl ?? repo.repoDir };
}

/** The value an object literal's property names (`{ f }`, `{ key: f }`), when the symbol is such a property. */
function propertyValue(checker: ts.TypeChecker, s: ts.Symbol): ts.Symbol | undefined {
  const d = s.valueDeclaration;
  if (d && ts.isShorthandPropertyAssignment(d)) return checker.getShorthandAssignmentValueSymbol(d);
  if (d && ts.isPropertyAssignment(d) && ts.isIdentifier(d.initializer)) return checker.getSymbolAtLocation(d.initializer);
  return undefined;
}

function resolve(checker: ts.TypeChecker, s: ts.Symbol): ts.Symbol {
  return (s.flags & ts.SymbolFlags.Alias) !== 0 ? checker.getAliasedSymbol(s) : s;
}

function topLevelTypeDecls(sf: ts.SourceFile): string[] {
  const out: string[] = [];
  for (const st of sf.statements)
    if ((ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) out.push(st.name.text);
  return out;
}

const isStatic = (n: ts.Node): boolean => ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
const isNonPublic = (n: ts.ClassElement): boolean =>
  (n.name !== undefined && ts.isPrivateIdentifier(n.name)) ||
  (ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword));
const isInside = (n: ts.Node, c: ts.Node): boolean => n.pos >= c.pos && n.end <= c.end && n.getSourceFile() === c.getSourceFile();
const isUnder = (dir: string, f: string): boolean => !path.relative(dir, f).startsWith('..');
const stripBom = (s: string): string => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);

/**
 * The function a module's exported symbol holds: a declaration, a `const` holding an arrow or a
 * function expression, or a CommonJS export (`exports.f = function …`, `module.exports.f = () => …`,
 * whose declaration the checker gives as the assignment or its left side).
 */
function functionOf(d: ts.Declaration): ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression | undefined {
  if (ts.isFunctionDeclaration(d)) return d;
  const fnExpr = (e: ts.Expression | undefined) => (e && (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) ? e : undefined);
  if (ts.isVariableDeclaration(d)) return fnExpr(d.initializer);
  const assignment = ts.isBinaryExpression(d) ? d : ts.isPropertyAccessExpression(d) && ts.isBinaryExpression(d.parent) && d.parent.left === d ? d.parent : undefined;
  return assignment && assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken ? fnExpr(assignment.right) : undefined;
}

/**
 * A class a dependency-injection container builds: decorated itself (`@Injectable()`,
 * `@injectable()`, any class decorator: the container reads what it records) or through its
 * constructor's parameters (`@inject(T)`). Syntax only: which decorator it is does not matter.
 */
function diBuilt(c: ts.ClassDeclaration): boolean {
  if ((ts.getDecorators(c) ?? []).length > 0) return true;
  const ctor = c.members.find(ts.isConstructorDeclaration);
  return ctor !== undefined && ctor.parameters.some((p) => (ts.getDecorators(p) ?? []).length > 0);
}

/**
 * An identifier read as a value: not a type, an import/export name, a declaration's name, the
 * callee of `new` or the object of a member access (`X.getInstance()`), nor `implements X`.
 */
function readAsValue(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isTypeReferenceNode(p) || ts.isTypeQueryNode(p) || ts.isQualifiedName(p) || ts.isImportSpecifier(p) || ts.isExportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p) || ts.isImportEqualsDeclaration(p)) return false;
  if ((ts.isClassDeclaration(p) || ts.isClassExpression(p) || ts.isInterfaceDeclaration(p) || ts.isTypeAliasDeclaration(p) || ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isFunctionDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertySignature(p) || ts.isBindingElement(p) || ts.isEnumDeclaration(p)) && p.name === id) return false;
  if (ts.isNewExpression(p) && p.expression === id) return false;
  if (ts.isPropertyAccessExpression(p)) return false;
  if (ts.isExpressionWithTypeArguments(p) && ts.isHeritageClause(p.parent) && p.parent.token === ts.SyntaxKind.ImplementsKeyword) return false;
  if (ts.isExportAssignment(p)) return false;
  return true;
}
