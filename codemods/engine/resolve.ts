import { posix } from 'node:path';
import { moduleIdOf, normalizeId } from './module-id.js';

/**
 * Plain data (sent to workers) describing how specifiers resolve in one repo: the modules
 * that exist and the tsconfig `baseUrl` / `paths`, all repo-relative.
 */
export interface ResolverData {
  knownModules: string[];
  baseUrl?: string;
  pathsBase: string;
  paths: Record<string, string[]>;
}

/**
 * Resolves an import specifier to a module id the way TypeScript does for our purposes:
 * relative paths, `.js`/`.mjs` written for `.ts` sources, index files, tsconfig `paths`
 * (longest matching prefix wins, substitutions tried in order) and `baseUrl`.
 * Returns undefined for package (bare) specifiers that map to no repo module.
 */
export class ModuleResolver {
  private readonly known: Set<string>;
  private readonly patterns: Array<{ prefix: string; suffix: string; star: boolean; subs: string[] }>;
  private readonly cache = new Map<string, string | undefined>();

  constructor(private readonly data: ResolverData) {
    this.known = new Set(data.knownModules);
    this.patterns = Object.entries(data.paths)
      .map(([key, subs]) => {
        const star = key.indexOf('*');
        return star === -1
          ? { prefix: key, suffix: '', star: false, subs }
          : { prefix: key.slice(0, star), suffix: key.slice(star + 1), star: true, subs };
      })
      .sort((a, b) => Number(a.star) - Number(b.star) || b.prefix.length - a.prefix.length);
  }

  isKnown(id: string): boolean {
    return this.known.has(id);
  }

  resolve(specifier: string, fromFile: string): string | undefined {
    const relative = specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../');
    const key = relative ? `${posix.dirname(fromFile)}\0${specifier}` : specifier;
    if (this.cache.has(key)) return this.cache.get(key);
    const result = relative ? this.fromPath(posix.join(posix.dirname(fromFile), specifier), true) : this.bare(specifier);
    this.cache.set(key, result);
    return result;
  }

  private bare(specifier: string): string | undefined {
    for (const p of this.patterns) {
      let captured: string | undefined;
      if (!p.star) captured = specifier === p.prefix ? '' : undefined;
      else if (specifier.startsWith(p.prefix) && specifier.endsWith(p.suffix) && specifier.length >= p.prefix.length + p.suffix.length)
        captured = specifier.slice(p.prefix.length, specifier.length - p.suffix.length);
      if (captured === undefined) continue;
      for (const sub of p.subs) {
        const hit = this.fromPath(posix.join(this.data.pathsBase, sub.replace('*', captured)), false);
        if (hit !== undefined) return hit;
      }
      // TypeScript stops at the first matching pattern even when no substitution exists
      return undefined;
    }
    if (this.data.baseUrl !== undefined) return this.fromPath(posix.join(this.data.baseUrl, specifier), false);
    return undefined;
  }

  /** A path to a module id: the file itself, else its index; unknown relative paths keep their id. */
  private fromPath(path: string, keepUnknown: boolean): string | undefined {
    const trailingSlash = path.endsWith('/');
    const id = moduleIdOf(normalizeId(path));
    const candidates = trailingSlash ? [`${id}/index`] : [id, id === '.' ? 'index' : `${id}/index`];
    for (const c of candidates) if (this.known.has(c)) return c;
    return keepUnknown ? id : undefined;
  }
}
