/**
 * The manifest checked against the repo before any phase runs (`run`, `run --all`, `discover`,
 * `check`, every `--dry-run`): the optional fields the selected phases need are there; every
 * legacy, adapter, class and factory module exists (resolved the way the phases resolve them);
 * every `symbols` key is exported by its module unless listed in `healed`; every factory entry
 * is a declared function or static method; every class in `classes[]`, `adapters[]` and `constructions[]` exists
 * with the members its templates name; every `instances[]` name is exported by its module. Exports and members come from a TypeScript program over
 * just those modules (aliases, re-exports and inherited members followed by the checker).
 * Each problem names its manifest field and, for a name or path, the closest existing one.
 */
import { join } from 'node:path';
import type ts from 'typescript';
import { formatPath, type ManifestIssue } from '../../manifest/index.js';
import { isFieldMemberKey, memberKey, templatedNames } from '../../manifest/field-members.js';
import type { SsotManifest } from '../../manifest/types.js';
import { isSourceFile } from '../engine/files.js';
import { moduleIdOf, withoutIndex } from '../engine/module-id.js';
import type { ModuleResolver } from '../engine/resolve.js';
import tsApi from '../engine/ts-api.js';
import { shareOutsideRepo } from '../engine/shared-source-files.js';
import { passThroughOf } from '../engine/re-export.js';
import { exportedValues } from '../legacy-use/exported-values.js';
import { objectManagerLiteral, objectManagerNames } from '../legacy-use/object-managers.js';
import { didYouMean } from '../phase/order.js';
import { missingPhaseFields } from '../phase/requirements.js';
import type { Phase } from '../phase/types.js';
import { frozenPathOf, isFacadeText, isFrozenFile } from '../strangle/layout.js';

export interface ManifestCheckInput {
  repo: string;
  manifest: SsotManifest;
  repoFiles: readonly string[];
  resolver: ModuleResolver;
  /** The phases the manifest selects (their declared field needs are checked). */
  phases: readonly Phase[];
  /** Compiler options of the repo's tsconfig (undefined: defaults that read .ts and .js). */
  compilerOptions?: ts.CompilerOptions;
  read(file: string): string | undefined;
  /**
   * remove-shim is committed: the legacy modules were deleted on purpose, so a missing one is
   * not an error (the rest of the check still runs for what exists).
   */
  legacyRemoved?: boolean;
}

/** How many repo checks ran in this process (tests prove the commands run it). */
export const manifestCheckStats = { runs: 0 };

const EXT_PREFERENCE = ['.ts', '.tsx', '.mts', '.cts', '.d.ts', '.js', '.jsx', '.mjs', '.cjs'];

/** A compiler host taking what lies outside the repo's own code from the process-wide registry, as a phase's snapshot does. */
function sharingHost(repo: string, options: ts.CompilerOptions): ts.CompilerHost {
  const host = tsApi.createCompilerHost(options);
  shareOutsideRepo(host, options, repo);
  return host;
}

export function checkManifestAgainstRepo(input: ManifestCheckInput): ManifestIssue[] {
  manifestCheckStats.runs++;
  const { manifest, resolver } = input;
  const issues: ManifestIssue[] = [...missingPhaseFields(manifest, input.phases)];
  const at = (path: (string | number)[], message: string) => issues.push({ path: formatPath(path), message });

  // module id → file (a .ts file preferred; frozen siblings are not modules of their own)
  const fileOf = new Map<string, string>();
  for (const f of input.repoFiles) {
    if (!isSourceFile(f) || isFrozenFile(f)) continue;
    const id = moduleIdOf(f);
    const prev = fileOf.get(id);
    if (prev === undefined || rank(f) < rank(prev)) fileOf.set(id, f);
  }
  const moduleNames = [...new Set([...fileOf.keys()].map(withoutIndex))];

  /** The module's file (its frozen body when strangled, for declarations), or undefined after reporting. */
  const located = new Map<string, { file: string; declFile: string } | null>();
  const locate = (mod: string, field: (string | number)[]): { file: string; declFile: string } | undefined => {
    const id = moduleIdOf(mod);
    if (!located.has(id)) {
      const found = fileOf.get(id) !== undefined ? id : fileOf.get(`${id}/index`) !== undefined ? `${id}/index` : undefined;
      if (found === undefined) located.set(id, null);
      else {
        const file = fileOf.get(found)!;
        const text = input.read(file);
        const frozen = text !== undefined && isFacadeText(text) && !file.endsWith('.d.ts') ? frozenPathOf(file) : undefined;
        located.set(id, { file, declFile: frozen !== undefined && input.read(frozen) !== undefined ? frozen : file });
      }
    }
    const hit = located.get(id);
    if (hit) return hit;
    if (input.legacyRemoved) return undefined;
    const viaPaths = resolver.resolve(mod, 'index.ts');
    const hint =
      viaPaths !== undefined && fileOf.has(viaPaths)
        ? ` (it is a tsconfig "paths" alias of "${withoutIndex(viaPaths)}"; write the repo-relative path)`
        : didYouMean(mod, moduleNames);
    at(field, `module "${mod}" does not exist in the repo${hint}; modules are repo-relative paths without extension`);
    return undefined;
  };

  /** A module `locate` found (every wanted module was located before the checks below). */
  const locatedModule = (mod: string) => located.get(moduleIdOf(mod));

  const wanted: Array<{ mod: string; field: (string | number)[] }> = [];
  manifest.legacy.forEach((l, i) => wanted.push({ mod: l.module, field: ['legacy', i, 'module'] }));
  manifest.adapters.forEach((a, i) => wanted.push({ mod: a.module, field: ['adapters', i, 'module'] }));
  manifest.classes.forEach((c, i) => wanted.push({ mod: c.module, field: ['classes', i, 'module'] }));
  manifest.factory?.entries.forEach((e, i) => wanted.push({ mod: e.module, field: ['factory', 'entries', i, 'module'] }));
  // a split class moves to `to` (move-declarations): once that module exists, the class is looked up there
  const splitMoved = (sp: SsotManifest['splits'][number]): boolean => fileOf.has(moduleIdOf(sp.to)) || fileOf.has(`${moduleIdOf(sp.to)}/index`);
  manifest.splits.forEach((sp, i) => {
    if (splitMoved(sp)) wanted.push({ mod: sp.to, field: ['splits', i, 'to'] });
  });
  // a move's source must exist unless the declaration already sits in its target (moved before)
  const moveFrom = new Set<number>();
  manifest.moves.forEach((m, i) => {
    const id = moduleIdOf(m.to);
    const moved = fileOf.has(id) || fileOf.has(`${id}/index`);
    if (!moved || fileOf.has(moduleIdOf(m.from)) || fileOf.has(`${moduleIdOf(m.from)}/index`)) {
      wanted.push({ mod: m.from, field: ['moves', i, 'from'] });
      moveFrom.add(i);
    }
  });
  const files = new Set<string>();
  for (const w of wanted) {
    const hit = locate(w.mod, w.field);
    if (hit) files.add(hit.file).add(hit.declFile);
  }
  if (files.size === 0) return issues;

  // Only these modules and what they import, without the default libs and @types (those are
  // most of a program's cost: ~6 s → ~25 ms on legacy-app under load). What that leaves
  // unknown — a base class or an `export *` from outside — is never reported as missing. A legacy
  // module may be JavaScript whatever the tsconfig says (allowJs): it is read, not compiled.
  const options: ts.CompilerOptions = { ...(input.compilerOptions ?? { allowJs: true, target: tsApi.ScriptTarget.ES2022, module: tsApi.ModuleKind.ESNext, moduleResolution: tsApi.ModuleResolutionKind.Bundler }), allowJs: true, noEmit: true, noLib: true, types: [] };
  const rootNames = [...files].map((f) => join(input.repo, f));
  const program = tsApi.createProgram({ rootNames, options, host: sharingHost(input.repo, options) });
  const checker = program.getTypeChecker();
  const sourceOf = (file: string) => program.getSourceFile(join(input.repo, file));
  let libProgram: ts.Program | undefined;
  /**
   * The same modules with the default libs, made only when a chain template (on a field, or on what a
   * lookup returns) is checked. The libs and the declarations they reach (@types/node through `ws`'s,
   * ~1.5 CPU-s to parse) come from the process-wide registry: every phase of `run --all` checks the
   * manifest again, and parsed them again.
   */
  const withLibs = (): ts.Program => {
    const libOptions = { ...options, noLib: false };
    return (libProgram ??= tsApi.createProgram({ rootNames, options: libOptions, host: sharingHost(input.repo, libOptions) }));
  };

  const exportsOf = (file: string): Map<string, ts.Symbol> => {
    const sf = sourceOf(file);
    const sym = sf ? checker.getSymbolAtLocation(sf) : undefined;
    return new Map((sym ? checker.getExportsOfModule(sym) : []).map((s) => [s.name, s]));
  };
  /** The module re-exports `*` from a module outside this program (a package): its export list is not known in full. */
  const openExports = (file: string, seen = new Set<string>()): boolean => {
    const sf = sourceOf(file);
    if (!sf || seen.has(sf.fileName)) return false;
    seen.add(sf.fileName);
    return sf.statements.some((st) => {
      if (!tsApi.isExportDeclaration(st) || st.exportClause || !st.moduleSpecifier) return false;
      const target = checker.getSymbolAtLocation(st.moduleSpecifier)?.valueDeclaration;
      if (!target || !tsApi.isSourceFile(target)) return true;
      return openExports(target.fileName.slice(input.repo.length + 1), seen);
    });
  };
  /** Some class in the inheritance chain extends something outside this program: its members are not known in full. */
  const openMembers = (cls: ts.Symbol, depth = 0): boolean => {
    if (depth > 20) return true;
    const decl = cls.declarations?.find(tsApi.isClassLike);
    const ext = decl?.heritageClauses?.find((h) => h.token === tsApi.SyntaxKind.ExtendsKeyword)?.types[0];
    if (!ext) return false;
    let base = checker.getSymbolAtLocation(ext.expression);
    if (base && base.flags & tsApi.SymbolFlags.Alias) base = checker.getAliasedSymbol(base);
    const baseDecl = base?.declarations?.find(tsApi.isClassLike);
    if (!base || !baseDecl) return true;
    return openMembers(base, depth + 1);
  };
  const resolveAlias = (s: ts.Symbol): ts.Symbol => (s.flags & tsApi.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  /** A class named `name` in the module: an export (aliases followed) or a top-level declaration. */
  const classOf = (file: string, name: string): { symbol?: ts.Symbol; candidates: string[] } => {
    const exported = exportsOf(file);
    const classes = new Map<string, ts.Symbol>();
    for (const [n, s] of exported) {
      const target = resolveAlias(s);
      if (target.flags & tsApi.SymbolFlags.Class) classes.set(n, target);
    }
    const sf = sourceOf(file);
    for (const st of sf?.statements ?? [])
      if (tsApi.isClassDeclaration(st) && st.name && !classes.has(st.name.text)) {
        const s = checker.getSymbolAtLocation(st.name);
        if (s) classes.set(st.name.text, s);
      }
    return { ...(classes.has(name) ? { symbol: classes.get(name)! } : {}), candidates: [...classes.keys()] };
  };
  /** An interface or type alias named `name` in the module (a classes[] entry may describe a contract itself). */
  const interfaceOf = (file: string, name: string): ts.Symbol | undefined => {
    const target = exportsOf(file).get(name);
    const s = target && resolveAlias(target);
    if (s && s.flags & (tsApi.SymbolFlags.Interface | tsApi.SymbolFlags.TypeAlias)) return s;
    const st = sourceOf(file)?.statements.find((x) => (tsApi.isInterfaceDeclaration(x) || tsApi.isTypeAliasDeclaration(x)) && x.name.text === name) as ts.InterfaceDeclaration | ts.TypeAliasDeclaration | undefined;
    return st && checker.getSymbolAtLocation(st.name);
  };
  const instanceMembers = (cls: ts.Symbol): string[] => checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(cls)).map((p) => p.name);
  const staticMembers = (cls: ts.Symbol): ts.Symbol[] => checker.getPropertiesOfType(checker.getTypeOfSymbol(cls)).filter((p) => p.name !== 'prototype');
  const callable = (s: ts.Symbol): boolean => {
    const decl = s.valueDeclaration ?? s.declarations?.[0];
    return decl !== undefined && checker.getTypeOfSymbolAtLocation(s, decl).getCallSignatures().length > 0;
  };

  // every symbols key exported by its module, or listed as healed
  manifest.legacy.forEach((l, i) => {
    const hit = locatedModule(l.module);
    if (!hit) return;
    const exported = exportsOf(hit.file);
    const names = [...exported.keys()];
    const healed = new Set(l.healed ?? []);
    const open = openExports(hit.file);
    for (const key of Object.keys(l.symbols)) {
      if (healed.has(key) || open) continue;
      if (!exported.has(key))
        at(['legacy', i, 'symbols', key], `"${key}" is not exported by ${l.module}${didYouMean(key, names)}; if the module no longer exports it on purpose (a dangling import the rewrite heals), list it in legacy[${i}].healed`);
    }
    (l.healed ?? []).forEach((name, j) => {
      if (exported.has(name)) at(['legacy', i, 'healed', j], `"${name}" is exported by ${l.module}; healed lists only names the module no longer exports (remove it here)`);
    });
  });

  // every move names a top-level declaration of its module, or one already in its target
  manifest.moves.forEach((m, i) => {
    if (!moveFrom.has(i)) return;
    const hit = locatedModule(m.from);
    if (!hit) return;
    const sf = sourceOf(hit.declFile);
    const declared = (s?: ts.SourceFile): string[] => (s?.statements ?? []).flatMap(topLevelNames);
    const names = declared(sf);
    // a declaration, or a name the module passes through (`export { WebSocket } from 'ws'`), which moves as that re-export
    if (names.includes(m.name) || (sf !== undefined && passThroughOf(sf, m.name))) return;
    const to = fileOf.get(moduleIdOf(m.to)) ?? fileOf.get(`${moduleIdOf(m.to)}/index`);
    const toText = to !== undefined ? input.read(to) : undefined;
    // already moved: the target declares it, or re-exports it (consolidate-types may have turned a moved duplicate type into `export { X } from` its canonical module)
    const toSf = toText !== undefined ? tsApi.createSourceFile(to!, toText, tsApi.ScriptTarget.Latest, true) : undefined;
    const reExported = (toSf?.statements ?? []).some((st) => tsApi.isExportDeclaration(st) && st.exportClause !== undefined && tsApi.isNamedExports(st.exportClause) && st.exportClause.elements.some((e) => e.name.text === m.name));
    if (toSf !== undefined && (declared(toSf).includes(m.name) || reExported)) return;
    at(['moves', i, 'name'], `${m.from} declares no top-level "${m.name}"${didYouMean(m.name, names)}`);
  });

  // every class with the members its templates name
  const checkClass = (mod: string, cls: string, members: readonly [string, (string | number)[]][], field: (string | number)[], orInterface?: { legacyOnly: readonly [string, (string | number)[]][]; receiver?: readonly [string, (string | number)[]][] }, withStatics = false) => {
    const hit = locatedModule(mod);
    if (!hit) return;
    const found = classOf(hit.declFile, cls);
    const contract = !found.symbol && orInterface ? interfaceOf(hit.declFile, cls) : undefined;
    if (contract && orInterface) {
      // an interface has no runtime object: nothing legacy can serve its members
      for (const [member, path] of orInterface.legacyOnly) at(path, `${cls} is an interface: no legacy object serves "${member}" ($legacy, $self, legacyMembers); give it a canonical template`);
      const known = checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(contract)).map((p) => p.name);
      for (const [member, path] of members) if (!known.includes(member)) at(path, `"${member}" is not a member of ${cls}${didYouMean(member, known)}`);
      return;
    }
    // an object manager (`export const wsManager = { register() {…} }`): described by the const's name
    const sf = !found.symbol && !contract && orInterface ? sourceOf(hit.declFile) : undefined;
    const literal = sf && objectManagerLiteral(tsApi, sf, cls);
    if (literal && orInterface) {
      // the shim routes it member by member over the frozen literal (defineLegacyObject), so the frozen object serves
      // legacyMembers and $legacy as a class's does; $m would be the object itself, which goes with its module
      for (const [member, path] of orInterface.receiver ?? []) at(path, `${cls} is an object literal (an object manager): "${member}"'s template uses $m (the object itself, which goes with its module); write what the call becomes without it`);
      const known = checker.getPropertiesOfType(checker.getTypeAtLocation(literal)).map((p) => p.name);
      for (const [member, path] of members) if (!known.includes(member)) at(path, `"${member}" is not a member of ${cls}${didYouMean(member, known)}`);
      return;
    }
    if (!found.symbol) {
      const objects = orInterface ? (sourceOf(hit.declFile) ? objectManagerNames(tsApi, sourceOf(hit.declFile)!) : []) : [];
      at(field, `${mod} declares no class${orInterface ? ', interface or object-literal const' : ''} "${cls}"${didYouMean(cls, [...found.candidates, ...objects])}`);
      return;
    }
    // the receiver stays only where no shim object stands in for it: a value typed by an interface
    for (const [member, path] of orInterface?.receiver ?? []) at(path, `${cls} is a class: "${member}"'s template uses $m (the receiver, kept), which is for an interface entry; a class's calls go through the shim's canonical object`);
    // a split keeps the class whole, statics too (a singleton's `instance`/`getInstance`): its keep may name them
    const known = [...instanceMembers(found.symbol), ...(withStatics ? staticMembers(found.symbol).map((p) => p.name) : [])];
    if (openMembers(found.symbol)) return;
    for (const [member, path] of members) if (!known.includes(member)) at(path, `"${member}" is not a member of ${cls}${didYouMean(member, known)}`);
  };
  /**
   * Each chain key (`field.member(.member…)`, `lookup.send`) follows the declared types: every link is
   * a member of the value before it (a called link's value is what its call returns), so a misspelt
   * `sockets.sned` is named here, not left unmatched at every use. A type that is `any` or unknown is
   * not checked. `start` is the head's type (a field's; a lookup's, whose call is the first link).
   */
  const open = (t: ts.Type): boolean => (t.flags & (tsApi.TypeFlags.Any | tsApi.TypeFlags.Unknown)) !== 0;
  const followChain = (checker: ts.TypeChecker, start: ts.Type, head: string, path: readonly string[], field: (string | number)[]) => {
    let type = start;
    let owner = head;
    // a lookup (a method, a function, a static): the chain starts with its call, on what it returns
    const called = checker.getNonNullableType(type).getCallSignatures()[0];
    if (called) {
      type = called.getReturnType();
      owner = `${owner}()`;
    }
    for (const link of path) {
      const value = checker.getApparentType(checker.getNonNullableType(type));
      if (open(value)) break;
      const known = checker.getPropertiesOfType(value).map((p) => p.name);
      const member = checker.getPropertyOfType(value, link);
      if (!member) {
        at(field, `"${link}" is not a member of ${owner} (${checker.typeToString(type)})${didYouMean(link, known)}`);
        break;
      }
      type = checker.getTypeOfSymbol(member);
      // a called link hands on what its call returns (`get(id)` → the socket)
      const signature = checker.getNonNullableType(type).getCallSignatures()[0];
      if (signature) type = signature.getReturnType();
      owner = `${owner}.${link}${signature ? '()' : ''}`;
    }
  };
  /** The class or interface `cls` of `mod` in the program with the default libs (the field's or lookup's type is mostly a library one: `Map`, `ws`'s socket). */
  const libClass = (mod: string, cls: string): { checker: ts.TypeChecker; symbol: ts.Symbol } | undefined => {
    const hit = locatedModule(mod);
    if (!hit || !(classOf(hit.declFile, cls).symbol ?? interfaceOf(hit.declFile, cls))) return undefined; // reported by checkClass
    const checker = withLibs().getTypeChecker();
    const declared = withLibs().getSourceFile(join(input.repo, hit.declFile))?.statements.find((st): st is ts.ClassDeclaration | ts.InterfaceDeclaration => (tsApi.isClassDeclaration(st) || tsApi.isInterfaceDeclaration(st)) && st.name?.text === cls);
    const symbol = declared?.name ? checker.getSymbolAtLocation(declared.name) : undefined;
    return symbol ? { checker, symbol } : undefined;
  };
  /**
   * Chain keys of a class: `classes[].members` on a field's value (`sockets.get.send`) or on what a
   * method returns (`getSocket.send`), read on the instance type; `classes[].statics` on what a
   * static returns (`socketOf.send`), read on the constructor's type.
   */
  const checkChains = (side: 'instance' | 'static', mod: string, cls: string, keys: readonly string[], pathOf: (key: string) => (string | number)[]) => {
    if (!keys.length) return;
    const found = libClass(mod, cls);
    if (!found) return;
    const { checker, symbol } = found;
    const owner = side === 'instance' ? checker.getDeclaredTypeOfSymbol(symbol) : checker.getTypeOfSymbol(symbol);
    for (const key of keys) {
      const { field, path } = memberKey(key);
      const prop = checker.getPropertyOfType(owner, field);
      if (!prop) continue; // reported by checkClass / with the statics
      followChain(checker, checker.getTypeOfSymbol(prop), `${cls}.${field}`, path, pathOf(key));
    }
  };
  /** `functions[].templates` chain keys (`getConnection.send`): on what the exported function returns. */
  const checkFunctionChains = (declFile: string, keys: readonly string[], pathOf: (key: string) => (string | number)[]) => {
    if (!keys.length) return;
    const checker = withLibs().getTypeChecker();
    const sf = withLibs().getSourceFile(join(input.repo, declFile));
    const moduleSymbol = sf ? checker.getSymbolAtLocation(sf) : undefined;
    if (!moduleSymbol) return;
    const exported = new Map(checker.getExportsOfModule(moduleSymbol).map((x) => [x.name, x]));
    for (const key of keys) {
      const { field, path } = memberKey(key);
      const sym = exported.get(field);
      if (!sym) continue; // reported with the plain names
      const target = sym.flags & tsApi.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
      followChain(checker, checker.getTypeOfSymbol(target), field, path, pathOf(key));
    }
  };
  const splitOf = (mod: string, cls: string) => manifest.splits.findIndex((sp) => sp.module === mod && sp.class === cls);
  /** Whether the split class sits in its `to` module already (moved by move-declarations). */
  const movedSplit = (i: number): boolean => {
    const sp = manifest.splits[i];
    const hit = sp && splitMoved(sp) ? locatedModule(sp.to) : undefined;
    const from = sp ? locatedModule(sp.module) : undefined;
    return !!hit && classOf(hit.declFile, sp!.class).symbol !== undefined && (!from || classOf(from.declFile, sp!.class).symbol === undefined);
  };
  manifest.classes.forEach((c, i) => {
    const split = splitOf(c.module, c.class);
    // moved by its split: its other members go at remove-adapters, so only the class is checked there (keep below)
    if (split >= 0 && movedSplit(split)) return;
    const members: [string, (string | number)[]][] = [
      // a template per member of a field (`sockets.set`) names the field: the class must declare it (its members are checked below)
      ...Object.keys(c.members).map((m): [string, (string | number)[]] => [memberKey(m).field, ['classes', i, 'members', m]]),
      ...(c.legacyMembers ?? []).map((m, j): [string, (string | number)[]] => [m, ['classes', i, 'legacyMembers', j]]),
    ];
    const legacyOnly: [string, (string | number)[]][] = [
      ...Object.entries(c.members).filter(([, t]) => /\$(legacy|self)\b/.test(t)).map(([m]): [string, (string | number)[]] => [m, ['classes', i, 'members', m]]),
      ...(c.legacyMembers ?? []).map((m, j): [string, (string | number)[]] => [m, ['classes', i, 'legacyMembers', j]]),
    ];
    const receiver = Object.entries(c.members).filter(([, t]) => /\$m\b/.test(t)).map(([m]): [string, (string | number)[]] => [m, ['classes', i, 'members', m]]);
    checkClass(c.module, c.class, members, ['classes', i, 'class'], { legacyOnly, receiver });
    checkChains('instance', c.module, c.class, Object.keys(c.members).filter(isFieldMemberKey), (key) => ['classes', i, 'members', key]);
    // every static template names a static of the class (an interface has none)
    // a chain on what a static returns (`socketOf.send`) names the static
    const statics = [...templatedNames(c.statics ?? {})];
    if (!statics.length) return;
    const hit = locatedModule(c.module);
    const found = hit ? classOf(hit.declFile, c.class) : undefined;
    if (!found) return;
    if (!found.symbol) {
      if (hit && interfaceOf(hit.declFile, c.class)) for (const s of statics) at(['classes', i, 'statics', s], `${c.class} is an interface: it has no statics (a statics template needs the class)`);
      else if (hit && sourceOf(hit.declFile) && objectManagerLiteral(tsApi, sourceOf(hit.declFile)!, c.class)) for (const s of statics) at(['classes', i, 'statics', s], `${c.class} is an object literal: it has no statics (its members are templated under members)`);
      return;
    }
    const known = staticMembers(found.symbol).map((p) => p.name);
    const keyOf = (name: string): string => Object.keys(c.statics!).find((k) => memberKey(k).field === name)!;
    for (const s of statics) if (!known.includes(s)) at(['classes', i, 'statics', keyOf(s)], `"${s}" is not a static of ${c.class}${didYouMean(s, known)}`);
    checkChains('static', c.module, c.class, Object.keys(c.statics!).filter((k) => isFieldMemberKey(k) && known.includes(memberKey(k).field)), (key) => ['classes', i, 'statics', key]);
  });
  // every split names a class of its module (or of `to`, once moved) and members of it to keep
  manifest.splits.forEach((sp, i) => {
    const moved = movedSplit(i);
    checkClass(moved ? sp.to : sp.module, sp.class, sp.keep.map((m, j) => [m, ['splits', i, 'keep', j]]), ['splits', i, 'class'], undefined, true);
  });
  manifest.adapters.forEach((a, i) => {
    checkClass(a.module, a.class, Object.keys(a.methods).map((m) => [m, ['adapters', i, 'methods', m]]), ['adapters', i, 'class']);
  });

  // every free-function template names a function its module exports
  manifest.functions.forEach((f, i) => {
    const hit = locatedModule(f.module);
    if (!hit) return;
    const exported = exportsOf(hit.declFile);
    if (openExports(hit.declFile)) return;
    const functions = [...exported].filter(([, s]) => callable(resolveAlias(s))).map(([n]) => n);
    const good: string[] = [];
    for (const key of Object.keys(f.templates)) {
      // a chain on what the function returns (`getConnection.send`) names the function
      const name = memberKey(key).field;
      const field = ['functions', i, 'templates', key];
      const s = exported.get(name);
      if (!s) at(field, `"${name}" is not exported by ${f.module}${didYouMean(name, functions)}`);
      else if (!callable(resolveAlias(s))) at(field, `"${name}" exported by ${f.module} is not a function (a template here is expanded at each call)`);
      else if (isFieldMemberKey(key)) good.push(key);
    }
    checkFunctionChains(hit.declFile, good, (key) => ['functions', i, 'templates', key]);
  });

  // every boot construction's class exists with its wiring members
  manifest.constructions?.forEach((c, i) => {
    checkClass(c.module, c.class, (c.wiring ?? []).map((m, j) => [m, ['constructions', i, 'wiring', j]]), ['constructions', i, 'class']);
  });

  // every exported instance exported by its module
  manifest.instances?.forEach((x, i) => {
    const hit = locatedModule(x.module);
    if (!hit || openExports(hit.file)) return;
    // a CommonJS module's (`module.exports = new M()` is `default`) as remove-adapters and init read them
    const sf = sourceOf(hit.file);
    const names = [...new Set([...exportsOf(hit.file).keys(), ...((sf && exportedValues(tsApi, checker, sf)) ?? []).map((v) => v.name)])].filter((n) => n !== 'export=');
    if (!names.includes(x.name)) return at(['instances', i, 'name'], `"${x.name}" is not exported by ${x.module}${didYouMean(x.name, names)}`);
    // an instance of a legacy module's class needs that class described: without a classes[] entry strangle
    // re-exports it unrouted and remove-adapters has no template for its member calls (instances[] says what
    // its reads become, not what its members do)
    const value = sf ? (exportedValues(tsApi, checker, sf) ?? []).find((v) => v.name === x.name) : undefined;
    const type = value ? checker.getTypeAtLocation(value.value) : undefined;
    const cls = type && !type.isUnion() ? type.getSymbol()?.declarations?.find(tsApi.isClassDeclaration) : undefined;
    // (a class with no member has nothing to describe)
    if (!cls?.name || type!.getProperties().length === 0) return;
    const declPath = cls.getSourceFile().fileName;
    const classModule = withoutIndex(moduleIdOf(declPath.startsWith(`${input.repo}/`) ? declPath.slice(input.repo.length + 1) : declPath).replace(/\.legacy$/, ''));
    const sameModule = (m: string): boolean => withoutIndex(moduleIdOf(m)) === classModule;
    if (!manifest.legacy.some((l) => sameModule(l.module)) || manifest.classes.some((c) => sameModule(c.module) && c.class === cls.name!.text)) return;
    at(['instances', i, 'name'], `"${x.name}" is an instance of ${cls.name.text} (${classModule}), which no classes[] entry describes: strangle would re-export it unrouted (its calls reach the legacy object in every shim mode) and remove-adapters has no template for its member calls; add a classes[] entry for ${cls.name.text} (a template per member its users call, legacyMembers for those kept on legacy code)`);
  });

  // every factory entry a declared function or static method
  manifest.factory?.entries.forEach((e, i) => {
    const hit = locatedModule(e.module);
    if (!hit) return;
    const field = ['factory', 'entries', i, 'call'];
    const [head, method] = e.call.split('.') as [string, string | undefined];
    const exported = exportsOf(hit.declFile);
    const top = exported.get(head);
    if (!top && openExports(hit.declFile)) return;
    if (!top) {
      at(field, `"${head}" is not exported by ${e.module}${didYouMean(head, [...exported.keys()])}`);
      return;
    }
    const target = resolveAlias(top);
    if (method === undefined) {
      if (!callable(target)) at(field, `"${head}" exported by ${e.module} is not a function`);
      return;
    }
    if (!(target.flags & tsApi.SymbolFlags.Class)) {
      at(field, `"${head}" exported by ${e.module} is not a class (write "name" for a function, "Class.method" for a static method)`);
      return;
    }
    const statics = staticMembers(target);
    const m = statics.find((s) => s.name === method);
    if (!m && openMembers(target)) return;
    if (!m) at(field, `"${method}" is not a static method of ${head}${didYouMean(method, statics.map((s) => s.name))}`);
    else if (!callable(m)) at(field, `"${head}.${method}" is not a method`);
  });
  return issues;
}

function topLevelNames(st: ts.Statement): string[] {
  if (tsApi.isVariableStatement(st)) return st.declarationList.declarations.flatMap((d) => (tsApi.isIdentifier(d.name) ? [d.name.text] : []));
  const named = st as ts.Statement & { name?: ts.Node };
  return named.name && tsApi.isIdentifier(named.name) ? [named.name.text] : [];
}

function rank(file: string): number {
  const i = EXT_PREFERENCE.findIndex((e) => file.endsWith(e) && !(e === '.ts' && file.endsWith('.d.ts')));
  return i === -1 ? 99 : i;
}
