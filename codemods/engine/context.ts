import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type ts from 'typescript';
import type { DuplicateTypeSpec, SsotManifest } from '../../manifest/types.js';
import { parsePublicReplacement, type PublicReplacement } from '../../manifest/public-api.js';
import { collectExports, type SymbolKind } from './exports.js';
import { isSourceFile } from './files.js';
import { readRepoStyle, type RepoStyle } from './import-style.js';
import { moduleIdOf, normalizeId, withoutIndex } from './module-id.js';
import { parseSource } from './parse.js';
import { ModuleResolver, type ResolverData } from './resolve.js';
import { readResolverData } from './tsconfig.js';
import { templatedMembers, templatedNames } from '../../manifest/field-members.js';

export interface LegacyTarget {
  id: string;
  moduleId: string;
  symbols: Record<string, string>;
  /** What the legacy module exports (from its source), type or value. */
  exports: Record<string, SymbolKind>;
}

export interface CanonicalTarget {
  /** Written verbatim when set (a package specifier such as "ssot-migrate/canonical"). */
  specifier?: string;
  /** The repo module it is, when it lives in (or maps via tsconfig paths into) the repo. */
  moduleId?: string;
  exports: string[];
  /** Type or value per canonical name, when known (from its source or the legacy side). */
  kinds: Record<string, SymbolKind>;
}

/** Everything a syntax phase needs about a repo, as plain data so workers receive it once. */
export interface PhaseContext {
  canonical: CanonicalTarget;
  legacy: LegacyTarget[];
  resolver: ResolverData;
  duplicateTypes: DuplicateTypeSpec[];
  /**
   * Legacy module id -> names that later phases own (factory entry points, adapter classes, exported instances):
   * rewrite-imports leaves their imports in place, since their canonical replacement is a
   * call rewrite (remove-adapters), not a rename.
   */
  deferred: Record<string, string[]>;
  /** Legacy module ids with a functions[] entry: an unmapped name there is a free function that needs a template, not a symbol. */
  functionModules: string[];
  /**
   * Per legacy module id, the members its classes[] classes have templates or legacyMembers for: a
   * member read on a binding holding the whole module (`const m = require(legacy); m.send(…)`)
   * where the module exports one instance (`module.exports = new M()`) is the instance's member,
   * which remove-adapters rewrites, not a missing symbol.
   */
  classMembers: Record<string, string[]>;
  /** A file containing none of these strings cannot import a legacy module. */
  prefilterTokens: string[];
  /**
   * Names the manifest makes legacy or canonical (canonical exports, legacy symbols both ways,
   * duplicate types, adapter and described classes, factory entries): discover lists a
   * declaration outside the legacy modules only when it has one of these names.
   */
  declarationNames: string[];
  /** The repo's formatter settings (print width, indent…), for import lists the phases write. */
  style?: RepoStyle;
  /**
   * The manifest's public modules (`publicApi`), keyed by module id without `/index`: what a
   * re-export of a legacy value there becomes is a person's decision (`replacements`).
   */
  publicModules?: Record<string, PublicModuleTarget>;
  /**
   * File -> top-level declarations the manifest's `deletions` schedule there: remove-shim deletes
   * them, so rewrite-imports leaves their module references alone (nothing to rewrite or review).
   */
  scheduledDeclarations?: Record<string, string[]>;
  /**
   * File -> local name of a legacy import -> why it stays: a cast in the file names it as the type
   * of a place that still holds a legacy instance (engine/constructions.ts), so rewrite-imports
   * keeps that binding legacy (retyped canonical, the cast would be a false claim). Set by
   * rewrite-imports' own plan (held-casts.ts), never from the manifest.
   */
  heldCasts?: Record<string, Record<string, string>>;
}

export interface PublicModuleTarget {
  /** Its index in the manifest's `publicApi`, for messages naming the field to write. */
  index: number;
  module: string;
  /** Public name -> what the module exports instead (parsed `publicApi[].replacements`). */
  replacements: Record<string, PublicReplacement[]>;
}

const EXT_PREFERENCE = ['.ts', '.tsx', '.mts', '.cts', '.d.ts', '.js', '.jsx', '.mjs', '.cjs'];

/** A module file's text and tree, parsed before the context was built (parseLegacyAhead). */
export type ParsedAhead = ReadonlyMap<string, { text: string; sf: ts.SourceFile }>;

/**
 * The legacy modules' files parsed ahead of buildPhaseContext, by repo path, found on disk as the
 * manifest names them: RepoSnapshot.open runs this while git is still listing the repo, which the
 * context waits for (its parse of the legacy modules was ~25 ms of a start-up's CPU, the parser
 * still cold). buildPhaseContext takes a tree from here only for the file it picks from the
 * listing and only while that file's text is the one parsed: the same parse, earlier.
 */
export function parseLegacyAhead(repoDir: string, manifest: SsotManifest): ParsedAhead {
  const out = new Map<string, { text: string; sf: ts.SourceFile }>();
  for (const l of manifest.legacy) {
    const file = probe(repoDir, normalizeId(moduleIdOf(l.module)));
    if (file === undefined || out.has(file)) continue;
    try {
      const text = readFileSync(join(repoDir, file), 'utf8');
      out.set(file, { text, sf: parseSource(file, text).sf });
    } catch {
      // read again (and its failure met) where the context needs it
    }
  }
  return out;
}

/** Build the context from the repo on disk: one tsconfig read, one parse per legacy/canonical module (`ahead`: the trees parseLegacyAhead made). */
export function buildPhaseContext(repoDir: string, manifest: SsotManifest, repoFiles: readonly string[], resolverData?: ResolverData, ahead?: ParsedAhead): PhaseContext {
  resolverData ??= readResolverData(repoDir, manifest.tsconfig, [...new Set(repoFiles.filter(isSourceFile).map(moduleIdOf))]);
  // Only the legacy and canonical modules are looked up, so their files are found by probing
  // the listing per id, not by mapping every file of the repo to its id (20,000 on the bench tree).
  const fileOf = moduleFileFinder(repoFiles);
  const parsed = new Map<string, ts.SourceFile | undefined>();
  const load = (id: string): ts.SourceFile | undefined => {
    if (parsed.has(id)) return parsed.get(id);
    // modules outside the listing (the canonical package in node_modules) are probed on disk
    const file = fileOf(id) ?? probe(repoDir, id);
    let sf: ts.SourceFile | undefined;
    if (file !== undefined) {
      try {
        const text = readFileSync(join(repoDir, file), 'utf8');
        const early = ahead?.get(file);
        sf = early !== undefined && early.text === text ? early.sf : parseSource(file, text).sf;
      } catch {
        sf = undefined;
      }
    }
    parsed.set(id, sf);
    return sf;
  };
  const resolver = new ModuleResolver(resolverData);
  const ctx = contextFrom(manifest, resolverData, load, resolver);
  ctx.style = readRepoStyle(repoDir);
  const pkgFile = ctx.canonical.moduleId === undefined && ctx.canonical.specifier !== undefined ? packageEntry(repoDir, ctx.canonical.specifier) : undefined;
  if (pkgFile !== undefined) {
    // the canonical package's own source says which names are types (overrides the legacy-side guess)
    const kinds = collectExports(moduleIdOf(pkgFile), load, resolver);
    for (const [name, kind] of kinds) ctx.canonical.kinds[name] = kind;
  }
  return ctx;
}

/**
 * The listed source file of a module id, the one TypeScript would pick (EXT_PREFERENCE order;
 * of two with the same rank, the one listed first), or undefined. Listed paths are git's:
 * normalized, so a module's files are its id plus an extension, `.d` or not.
 */
function moduleFileFinder(repoFiles: readonly string[]): (id: string) => string | undefined {
  let index: Map<string, number> | undefined;
  return (id) => {
    index ??= new Map(repoFiles.map((f, i) => [f, i]));
    let best: string | undefined;
    for (const ext of EXT_PREFERENCE)
      for (const f of ext === '.d.ts' ? [] : [id + ext, `${id}.d${ext}`]) {
        const i = index.get(f);
        if (i === undefined || moduleIdOf(f) !== id) continue;
        if (best === undefined || rank(f) < rank(best) || (rank(f) === rank(best) && i < index.get(best)!)) best = f;
      }
    return best;
  };
}

function probe(repoDir: string, id: string): string | undefined {
  for (const base of [id, `${id}/index`])
    for (const ext of EXT_PREFERENCE) if (existsSync(join(repoDir, base + ext))) return base + ext;
  return undefined;
}

/** Repo-relative entry file of a bare specifier through node_modules/<pkg>/package.json `exports`. */
export function packageEntry(repoDir: string, specifier: string): string | undefined {
  const segs = specifier.split('/');
  const n = specifier.startsWith('@') ? 2 : 1;
  const pkg = segs.slice(0, n).join('/');
  const sub = segs.length > n ? `./${segs.slice(n).join('/')}` : '.';
  let pj: { exports?: unknown; types?: string; main?: string };
  try {
    pj = JSON.parse(readFileSync(join(repoDir, 'node_modules', pkg, 'package.json'), 'utf8')) as typeof pj;
  } catch {
    return undefined;
  }
  const pick = (e: unknown): string | undefined => {
    if (typeof e === 'string') return e;
    if (e && typeof e === 'object') {
      const o = e as Record<string, unknown>;
      return pick(o['types']) ?? pick(o['import']) ?? pick(o['default']);
    }
    return undefined;
  };
  let target: string | undefined;
  if (pj.exports && typeof pj.exports === 'object' && !Array.isArray(pj.exports) && Object.keys(pj.exports).some((k) => k.startsWith('.')))
    target = pick((pj.exports as Record<string, unknown>)[sub]);
  else if (sub === '.') target = pick(pj.exports) ?? pj.types ?? pj.main;
  return target === undefined ? undefined : posix.join('node_modules', pkg, target);
}

function rank(file: string): number {
  const i = EXT_PREFERENCE.findIndex((e) => file.endsWith(e) && !(e === '.ts' && file.endsWith('.d.ts')));
  return i === -1 ? 99 : i;
}

/** Shared by the repo builder and the fixture harness (which supplies its own module loader). */
export function contextFrom(
  manifest: SsotManifest,
  resolverData: ResolverData,
  load: (id: string) => ts.SourceFile | undefined,
  resolver: ModuleResolver = new ModuleResolver(resolverData),
): PhaseContext {
  const resolveModule = (mod: string): string => {
    const id = normalizeId(moduleIdOf(mod));
    if (resolver.isKnown(id)) return id;
    if (resolver.isKnown(`${id}/index`)) return `${id}/index`;
    return id;
  };
  const legacy: LegacyTarget[] = manifest.legacy.map((l) => {
    const moduleId = resolveModule(l.module);
    return { id: l.id, moduleId, symbols: { ...l.symbols }, exports: Object.fromEntries(collectExports(moduleId, load, resolver)) };
  });

  const canonical: CanonicalTarget = { exports: [...manifest.canonical.exports], kinds: {} };
  const cmod = manifest.canonical.module;
  const asPath = resolveModule(cmod);
  if (!cmod.startsWith('.') && resolver.isKnown(asPath)) canonical.moduleId = asPath;
  else {
    canonical.specifier = cmod;
    const viaPaths = resolver.resolve(cmod, 'index.ts');
    if (viaPaths !== undefined) canonical.moduleId = viaPaths;
  }
  // what the canonical source does not tell us, the legacy side does (a renamed symbol keeps its kind)
  for (const l of legacy)
    for (const [from, to] of Object.entries(l.symbols)) {
      const k = l.exports[from];
      // a type on any legacy side wins: value uses of it are then refused rather than broken
      if (k !== undefined && canonical.kinds[to] !== 'type') canonical.kinds[to] = k;
    }

  // the canonical source, when readable, is the authority
  if (canonical.moduleId !== undefined) Object.assign(canonical.kinds, Object.fromEntries(collectExports(canonical.moduleId, load, resolver)));

  const tokens = new Set<string>();
  for (const l of legacy) {
    const plain = withoutIndex(l.moduleId);
    tokens.add(posix.basename(plain));
    if (l.moduleId.endsWith('/index') || l.moduleId === 'index') for (const t of INDEX_TOKENS) tokens.add(t);
    for (const [key, subs] of Object.entries(resolverData.paths))
      if (!key.includes('*') && subs.some((s) => resolveModule(posix.join(resolverData.pathsBase, s)) === l.moduleId)) tokens.add(key);
    // what a wildcard alias writes for it: `@repo/*` → `../../packages/*/src` names packages/ws/src/index
    // as `@repo/ws`, which holds no token of its path (its basename is `src`)
    for (const spec of wildcardSpecifiers(resolverData, l.moduleId)) if (resolver.resolve(spec, '') === l.moduleId) tokens.add(spec);
    // a workspace package whose name stands for it (`import … from '@repo/ws'` in another package)
    for (const name of Object.keys(resolverData.workspaces ?? {})) if (resolver.resolve(name, '') === l.moduleId) tokens.add(name);
  }
  const deferred: Record<string, string[]> = {};
  const defer = (mod: string, name: string): void => {
    const id = resolveModule(mod);
    (deferred[id] ??= []).includes(name) || deferred[id]!.push(name);
  };
  for (const e of manifest.factory?.entries ?? []) defer(e.module, e.call.split('.')[0]!);
  for (const a of manifest.adapters) defer(a.module, a.class);
  // an exported instance's reads become its instances[] replacement there, not a renamed import
  for (const x of manifest.instances ?? []) defer(x.module, x.name);
  // a free function with a template (functions[]): remove-adapters expands each call, the import goes with the last one
  // and so is the module's default export unless a symbol maps it: an object of its functions
  // (`export default { save, drop }`), whose `Repo.save(…)` calls remove-adapters expands too
  for (const f of manifest.functions) {
    for (const name of templatedNames(f.templates)) defer(f.module, name);
    const symbols = manifest.legacy.find((l) => l.module === f.module)?.symbols ?? {};
    if (Object.keys(f.templates).length > 0 && !Object.hasOwn(symbols, 'default')) defer(f.module, 'default');
  }
  // a class used through its statics (classes[].statics): remove-adapters expands each static's use, the import goes with the last one
  // (its name, and the module's default export, unless a symbol maps them: the class is typically default-exported)
  for (const c of manifest.classes) {
    if (!c.statics || Object.keys(c.statics).length === 0) continue;
    const symbols = manifest.legacy.find((l) => l.module === c.module)?.symbols ?? {};
    for (const name of [c.class, 'default']) if (!Object.hasOwn(symbols, name)) defer(c.module, name);
  }
  const names = new Set<string>(manifest.canonical.exports);
  for (const l of manifest.legacy)
    for (const [from, to] of Object.entries(l.symbols)) {
      if (from !== 'default') names.add(from);
      names.add(to);
    }
  for (const d of manifest.duplicateTypes) names.add(d.name);
  for (const a of manifest.adapters) names.add(a.class);
  for (const c of manifest.classes) names.add(c.class);
  for (const e of manifest.factory?.entries ?? []) names.add(e.call.split('.')[0]!);
  const publicModules: Record<string, PublicModuleTarget> = {};
  manifest.publicApi.forEach((p, index) => {
    const replacements = Object.fromEntries(Object.entries(p.replacements ?? {}).map(([from, items]) => [from, items.flatMap((i) => parsePublicReplacement(i) ?? [])]));
    publicModules[withoutIndex(resolveModule(p.module))] ??= { index, module: p.module, replacements };
  });
  const scheduledDeclarations: Record<string, string[]> = {};
  for (const d of manifest.deletions) if (d.declaration !== undefined) (scheduledDeclarations[d.path] ??= []).push(d.declaration);
  const functionModules = manifest.functions.map((f) => resolveModule(f.module));
  const classMembers: Record<string, string[]> = {};
  for (const c of manifest.classes) classMembers[resolveModule(c.module)] = [...new Set([...(classMembers[resolveModule(c.module)] ?? []), ...templatedMembers(c.members), ...(c.legacyMembers ?? [])])];
  return { canonical, legacy, resolver: resolverData, duplicateTypes: [...manifest.duplicateTypes], deferred, functionModules, classMembers, prefilterTokens: withoutSuperstrings(tokens), declarationNames: [...names], publicModules, scheduledDeclarations };
}

/**
 * The tokens a text must contain one of, minus those containing another ("websocket_manager"
 * goes when "manager" is there): the same files pass, and a file that passes none, 95% of them,
 * is searched fewer times (15 -> 12 searches per file on the bench tree).
 */
/** The specifiers that can name an index module (`import x from '.'`): prefilter tokens of a legacy index. */
const INDEX_TOKENS = ["'.'", '"."', "'..'", '".."', "'./'", '"./"', "'../'", '"../"'];

/**
 * The prefilter tokens contextFrom derives from the legacy modules' names, from the manifest's
 * raw JSON (before it is validated) and without the repo's resolver: what git's grep searches for
 * while the rest loads (engine/git-prefilter.ts). What only the resolver adds (a directory's
 * index, a tsconfig `paths` key) may be missing here; GitPrefilter.covers tells, against the
 * context's tokens. Undefined when the JSON has no legacy modules' names to read.
 */
export function earlyPrefilterTokens(raw: unknown): string[] | undefined {
  const legacy = raw !== null && typeof raw === 'object' ? (raw as { legacy?: unknown }).legacy : undefined;
  if (!Array.isArray(legacy)) return undefined;
  const tokens = new Set<string>();
  for (const l of legacy as unknown[]) {
    const mod = l !== null && typeof l === 'object' ? (l as { module?: unknown }).module : undefined;
    if (typeof mod !== 'string') return undefined;
    const id = normalizeId(moduleIdOf(mod));
    tokens.add(posix.basename(withoutIndex(id)));
    if (id.endsWith('/index') || id === 'index') for (const t of INDEX_TOKENS) tokens.add(t);
  }
  return withoutSuperstrings(tokens);
}

function withoutSuperstrings(tokens: ReadonlySet<string>): string[] {
  return [...tokens].filter((t) => ![...tokens].some((u) => u !== t && t.includes(u)));
}

/** The specifiers a tsconfig wildcard `paths` key would write for module `id` (its captures of `id` or its folder). */
function wildcardSpecifiers(data: ResolverData, id: string): string[] {
  const out: string[] = [];
  const ids = [id, ...(id.endsWith('/index') ? [id.slice(0, -'/index'.length)] : [])];
  for (const [key, subs] of Object.entries(data.paths)) {
    const star = key.indexOf('*');
    if (star === -1) continue;
    for (const s of subs) {
      const sub = posix.join(data.pathsBase, s);
      const at = sub.indexOf('*');
      if (at === -1) continue;
      const pre = sub.slice(0, at);
      const post = sub.slice(at + 1).replace(/\.[cm]?[jt]sx?$/, '');
      for (const c of ids)
        if (c.length > pre.length + post.length && c.startsWith(pre) && c.endsWith(post)) out.push(`${key.slice(0, star)}${c.slice(pre.length, c.length - post.length)}${key.slice(star + 1)}`);
    }
  }
  return out;
}