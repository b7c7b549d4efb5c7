import path from 'node:path';
import picomatch from 'picomatch';
import ts from '../engine/ts-api.js';

const TSCONFIG = 'tsconfig.json';
const stripBom = (s: string): string => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);

/**
 * The tsconfig init drafts as the manifest's `tsconfig`, from the repo's files (repo-relative
 * path → text; every `tsconfig.json` of the repo among them): the root's when there is one; else
 * (a workspace monorepo has one per package or app) the nearest one upwards from a legacy module's
 * file whose file list holds it, else any that holds it (the shallowest), else undefined. The
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
  return configs.find((c) => legacyFiles.some((f) => holds(c, f)));
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
