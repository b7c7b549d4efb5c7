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
  /** Workspace packages by name (engine/workspaces.ts): a bare specifier naming one resolves into its folder. */
  workspaces?: Record<string, { dir: string; entry?: string }>;
}

/**
 * Resolves an import specifier to a module id the way TypeScript does for our purposes:
 * relative paths, `.js`/`.mjs` written for `.ts` sources, index files, tsconfig `paths`
 * (longest matching prefix wins, substitutions tried in order), `baseUrl`, and then — as the
 * package manager's node_modules links would — the monorepo's workspace packages by name
 * (`@scope/pkg` to its package.json entry, else `src/index`, else `index`; `@scope/pkg/sub` to
 * `sub`, else `src/sub`, in its folder). Returns undefined for package (bare) specifiers that map
 * to no repo module.
 */
export class ModuleResolver {
  private readonly known: Set<string>;
  private readonly patterns: Array<{ prefix: string; suffix: string; star: boolean; subs: string[] }>;
  /** Bare specifiers' results. */
  private readonly cache = new Map<string, string | undefined>();
  /**
   * Relative specifiers' results per importing folder. Two levels, not one `dir\0specifier` key:
   * that key was a new string per call, flattened and hashed for each lookup (~2% of a pool
   * worker's samples on the bench's 100% tree); a specifier's text and a folder's map are looked up as they are.
   */
  private readonly byDir = new Map<string, Map<string, string | undefined>>();
  /** The last importing file and its folder's results: a file's specifiers are resolved one after another. */
  private lastFrom: string | undefined;
  private lastDir: Map<string, string | undefined> | undefined;

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
    if (!relative) {
      if (this.cache.has(specifier)) return this.cache.get(specifier);
      const result = this.bare(specifier);
      this.cache.set(specifier, result);
      return result;
    }
    let results = this.lastDir;
    if (fromFile !== this.lastFrom || results === undefined) {
      const dir = posix.dirname(fromFile);
      results = this.byDir.get(dir);
      if (results === undefined) this.byDir.set(dir, (results = new Map()));
      this.lastFrom = fromFile;
      this.lastDir = results;
    }
    if (results.has(specifier)) return results.get(specifier);
    const result = this.fromPath(posix.join(posix.dirname(fromFile), specifier), true);
    results.set(specifier, result);
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
    if (this.data.baseUrl !== undefined) {
      const hit = this.fromPath(posix.join(this.data.baseUrl, specifier), false);
      if (hit !== undefined) return hit;
    }
    return this.workspace(specifier);
  }

  private workspace(specifier: string): string | undefined {
    const ws = this.data.workspaces;
    if (ws === undefined) return undefined;
    const parts = specifier.split('/');
    const n = specifier.startsWith('@') ? 2 : 1;
    const pkg = ws[parts.slice(0, n).join('/')];
    if (pkg === undefined) return undefined;
    const rest = parts.slice(n).join('/');
    const tries = rest === '' ? [...(pkg.entry !== undefined ? [pkg.entry] : []), `${pkg.dir}/src/index`, `${pkg.dir}/index`] : [`${pkg.dir}/${rest}`, `${pkg.dir}/src/${rest}`];
    for (const t of tries) {
      const hit = this.fromPath(t, false);
      if (hit !== undefined) return hit;
    }
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
