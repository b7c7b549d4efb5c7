import path from 'node:path';
import picomatch from 'picomatch';
import ts from '../engine/ts-api.js';

const TSCONFIG = 'tsconfig.json';
const stripBom = (s: string): string => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);

/**
 * The tsconfig init drafts as the manifest's `tsconfig`, from the repo's files (repo-relative
 * path → text; every `tsconfig.json` of the repo among them): the root's when there is one; else
 * (a workspace monorepo has one per package or app) the nearest one upwards from a legacy module's
 * file whose file list holds it, else any that holds it (the shallowest), else any whose `paths`
 * map onto it (the shallowest), else undefined. The
 * phases type-check with that tsconfig, so one that does not hold the legacy module would leave
 * its importers' rewrites unguarded.
 */
export function draftTsconfig(files: ReadonlyMap<string, string>, legacyFiles: readonly string[]): string | undefined {
  if (files.has(TSCONFIG)) return TSCONFIG;
  const holds = (config: string, file: string): boolean => tsconfigHolds(config, files.get(config)!, file);
  for (const file of legacyFiles) {
    for (let dir = path.posix.dirname(file); ; dir = path.posix.dirname(dir)) {
      const config = dir === '.' ? TSCONFIG : `${dir}/${TSCONFIG}`;
      if (files.has(config) && holds(config, file)) return config;
      if (dir === '.') break;
    }
  }
  const configs = [...files.keys()].filter((f) => f === TSCONFIG || f.endsWith(`/${TSCONFIG}`)).sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
  // one whose program reaches it by import: a Next.js app's `paths` map `@repo/*` into ../../packages (the
  // Claudable trial: apps/web/tsconfig.json includes only its own folder)
  return configs.find((c) => legacyFiles.some((f) => holds(c, f))) ?? configs.find((c) => legacyFiles.some((f) => tsconfigMapsTo(c, files.get(c)!, f)));
}

/**
 * Whether a tsconfig's own `compilerOptions.paths` map a specifier onto a repo file: a target
 * (relative to `baseUrl`, else to the config's folder; `*` standing for anything) naming the file
 * without its extension or a folder holding it (from apps/web, `../../packages/{*}/src` with `*` as `ws`
 * holds packages/ws/src/index.ts).
 */
export function tsconfigMapsTo(configPath: string, text: string, file: string): boolean {
  const parsed = ts.parseConfigFileTextToJson(configPath, stripBom(text));
  const co = (parsed.config as { compilerOptions?: { paths?: unknown; baseUrl?: unknown } } | undefined)?.compilerOptions;
  if (parsed.error || !co || typeof co.paths !== 'object' || co.paths === null) return false;
  const base = path.posix.join(path.posix.dirname(configPath), typeof co.baseUrl === 'string' ? co.baseUrl.replace(/\\/g, '/') : '.');
  const targets = Object.values(co.paths as Record<string, unknown>).flatMap((v) => (Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : []));
  return targets.some((t) => {
    const at = path.posix.normalize(path.posix.join(base, t.replace(/\\/g, '/')));
    if (at.startsWith('..')) return false;
    const pattern = at.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.+');
    return new RegExp(`^${pattern}(?:/|\\.[^/]+$)`).test(file);
  });
}

/**
 * Whether a tsconfig's own `files`/`include`/`exclude` hold a repo file, as tsc reads them: no
 * `files` and no `include` means `**` under its folder; a pattern whose last segment has no
 * wildcard and no extension is a folder; the default exclude is node_modules, bower_components,
 * jspm_packages and `outDir`. What an `extends` base declares is not read (a config that only
 * extends is taken as `**`); a config that does not parse holds nothing.
 */
export function tsconfigHolds(configPath: string, text: string, file: string): boolean {
  const parsed = ts.parseConfigFileTextToJson(configPath, stripBom(text));
  if (parsed.error || typeof parsed.config !== 'object' || parsed.config === null) return false;
  const c = parsed.config as { files?: unknown; include?: unknown; exclude?: unknown; compilerOptions?: { outDir?: unknown } };
  const dir = path.posix.dirname(configPath);
  const here = path.posix.relative(dir === '.' ? '' : dir, file);
  const list = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').map((p) => path.posix.normalize(p.replace(/\\/g, '/'))) : undefined);
  const listed = list(c.files);
  if (listed?.includes(path.posix.normalize(here))) return true;
  const include = list(c.include) ?? (listed ? [] : ['**/*']);
  const outDir = typeof c.compilerOptions?.outDir === 'string' ? [c.compilerOptions.outDir] : [];
  const exclude = list(c.exclude) ?? ['node_modules', 'bower_components', 'jspm_packages', ...outDir];
  const folder = (p: string): boolean => {
    const b = path.posix.basename(p);
    return b === '.' || b === '..' || (!/[*?]/.test(b) && !b.includes('.'));
  };
  const under = (p: string): string => (p === '.' ? '**/*' : `${p}/**/*`);
  const included = picomatch(include.map((p) => (folder(p) ? under(p) : p)));
  const excluded = picomatch(exclude.flatMap((p) => [p, `${p}/**`]));
  return included(here) && !excluded(here);
}
