import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type ts from 'typescript';
import type { DuplicateTypeSpec, SsotManifest } from '../../manifest/types.js';
import { collectExports, type SymbolKind } from './exports.js';
import { isSourceFile } from './files.js';
import { moduleIdOf, normalizeId, withoutIndex } from './module-id.js';
import { parseSource } from './parse.js';
import { ModuleResolver, type ResolverData } from './resolve.js';
import { readResolverData } from './tsconfig.js';

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
  /** A file containing none of these strings cannot import a legacy module. */
  prefilterTokens: string[];
}

const EXT_PREFERENCE = ['.ts', '.tsx', '.mts', '.cts', '.d.ts', '.js', '.jsx', '.mjs', '.cjs'];

/** Build the context from the repo on disk: one tsconfig read, one parse per legacy/canonical module. */
export function buildPhaseContext(repoDir: string, manifest: SsotManifest, repoFiles: readonly string[]): PhaseContext {
  const byId = new Map<string, string>();
  for (const f of repoFiles) {
    if (!isSourceFile(f)) continue;
    const id = moduleIdOf(f);
    const prev = byId.get(id);
    if (prev === undefined || rank(f) < rank(prev)) byId.set(id, f);
  }
  const resolverData = readResolverData(repoDir, manifest.tsconfig, [...byId.keys()]);
  const parsed = new Map<string, ts.SourceFile | undefined>();
  const load = (id: string): ts.SourceFile | undefined => {
    if (parsed.has(id)) return parsed.get(id);
    const file = byId.get(id);
    let sf: ts.SourceFile | undefined;
    if (file !== undefined) {
      try {
        sf = parseSource(file, readFileSync(join(repoDir, file), 'utf8')).sf;
      } catch {
        sf = undefined;
      }
    }
    parsed.set(id, sf);
    return sf;
  };
  return contextFrom(manifest, resolverData, load);
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
): PhaseContext {
  const resolver = new ModuleResolver(resolverData);
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
  if (canonical.moduleId !== undefined) Object.assign(canonical.kinds, Object.fromEntries(collectExports(canonical.moduleId, load, resolver)));
  // what the canonical source does not tell us, the legacy side does (a renamed symbol keeps its kind)
  for (const l of legacy)
    for (const [from, to] of Object.entries(l.symbols)) {
      const k = l.exports[from];
      if (k !== undefined && canonical.kinds[to] === undefined) canonical.kinds[to] = k;
    }

  const tokens = new Set<string>();
  for (const l of legacy) {
    const plain = withoutIndex(l.moduleId);
    tokens.add(posix.basename(plain));
    if (l.moduleId.endsWith('/index') || l.moduleId === 'index') for (const t of ["'.'", '"."', "'..'", '".."', "'./'", '"./"', "'../'", '"../"']) tokens.add(t);
    for (const [key, subs] of Object.entries(resolverData.paths))
      if (!key.includes('*') && subs.some((s) => resolveModule(posix.join(resolverData.pathsBase, s)) === l.moduleId)) tokens.add(key);
  }
  return { canonical, legacy, resolver: resolverData, duplicateTypes: [...manifest.duplicateTypes], prefilterTokens: [...tokens] };
}
