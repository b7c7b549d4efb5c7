/**
 * Imports of legacy modules left in a repo, in every form (import-forms.ts) and through the
 * repo's resolver (relative paths, `.js` for `.ts`, index files, tsconfig `paths` and `baseUrl`).
 */
import { posix } from 'node:path';
import { moduleReferences } from '../engine/import-forms.js';
import { parseSource } from '../engine/parse.js';
import type { ModuleResolver, ResolverData } from '../engine/resolve.js';
import { lineColumn } from '../engine/text.js';
import { withoutIndex } from '../engine/module-id.js';

export interface LegacyImport {
  file: string;
  line: number;
  specifier: string;
  /** The legacy module it reaches. */
  module: string;
  /** The deprecation ids owning that module. */
  ids: string[];
}

/**
 * Strings a file must contain to be able to reach one of `modules`: each module's basename,
 * `.`/`..` forms for index modules, and the exact tsconfig `paths` keys that map to one. A file
 * with none of them is never parsed. (A wildcard key's specifier contains the basename.)
 */
export function reachTokens(modules: Iterable<string>, resolver: ModuleResolver, data: ResolverData): string[] {
  const tokens = new Set<string>();
  const ids = new Set(modules);
  for (const id of ids) {
    tokens.add(posix.basename(withoutIndex(id)));
    if (id.endsWith('/index') || id === 'index') for (const t of ["'.'", '"."', "'..'", '".."', "'./'", '"./"', "'../'", '"../"']) tokens.add(t);
  }
  for (const key of Object.keys(data.paths)) if (!key.includes('*')) {
    const hit = resolver.resolve(key, 'index.ts');
    if (hit !== undefined && ids.has(hit)) tokens.add(key);
  }
  return [...tokens];
}

/** Every reference from `files` that resolves to one of `owners`' modules. */
export function findLegacyImports(files: readonly string[], read: (f: string) => string | undefined, resolver: ModuleResolver, owners: ReadonlyMap<string, readonly string[]>, tokens?: readonly string[]): LegacyImport[] {
  const out: LegacyImport[] = [];
  for (const file of files) {
    const text = read(file);
    if (text === undefined || (tokens && !tokens.some((t) => text.includes(t)))) continue;
    const { sf } = parseSource(file, text);
    for (const ref of moduleReferences(sf)) {
      const id = resolver.resolve(ref.specifier, file);
      const ids = id === undefined ? undefined : owners.get(id);
      if (ids) out.push({ file, line: lineColumn(text, ref.literal.getStart()).line, specifier: ref.specifier, module: id!, ids: [...ids] });
    }
  }
  return out;
}
