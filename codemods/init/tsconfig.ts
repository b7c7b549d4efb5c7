import path from 'node:path';
import ts from '../engine/ts-api.js';

const TSCONFIG = 'tsconfig.json';
const stripBom = (s: string): string => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);

/**
 * The repo's files as init reads them (repo-relative path → text), for TypeScript's own config
 * reader: a config and what it `extends` are read from there, else from disk (a base config named
 * other than tsconfig.json, or one in node_modules, which init does not read), and the files an
 * `include` globs are those of the map (the sources init drafts from).
 */
export interface RepoFiles {
  files: ReadonlyMap<string, string>;
  /** Absolute; where the repo-relative paths start. */
  repoDir: string;
}

/**
 * A tsconfig as tsc reads it, `extends` followed (relative paths, package specifiers, arrays):
 * its file list (repo-relative) and its compiler options (inherited ones too); undefined when its
 * own text does not parse. Read once per config of a files map.
 */
export interface ReadTsconfig {
  fileNames: ReadonlySet<string>;
  options: ts.CompilerOptions;
}

const parsedConfigs = new WeakMap<ReadonlyMap<string, string>, Map<string, ReadTsconfig | undefined>>();

/** TypeScript's config reader (`parseJsonConfigFileContent`, which resolves `extends` and globs `include`/`exclude`) over the repo's files. */
export function readTsconfig(repo: RepoFiles, configPath: string): ReadTsconfig | undefined {
  let cache = parsedConfigs.get(repo.files);
  if (!cache) parsedConfigs.set(repo.files, (cache = new Map()));
  if (!cache.has(configPath)) cache.set(configPath, parse(repo, configPath));
  return cache.get(configPath);
}

function parse(repo: RepoFiles, configPath: string): ReadTsconfig | undefined {
  const text = repo.files.get(configPath);
  if (text === undefined) return undefined;
  const json = ts.parseConfigFileTextToJson(configPath, stripBom(text));
  if (json.error || typeof json.config !== 'object' || json.config === null) return undefined;
  const root = toPosix(path.resolve(repo.repoDir));
  const abs = path.posix.join(root, configPath);
  // JavaScript sources count as tsc lists them with allowJs: init drafts for JavaScript repos too (checked as checkJs)
  const parsed = ts.parseJsonConfigFileContent(json.config, configHost(repo, root), path.posix.dirname(abs), undefined, abs, undefined, JS_EXTENSIONS);
  const fileNames = new Set<string>();
  for (const f of parsed.fileNames) {
    const rel = path.posix.relative(root, toPosix(f));
    if (!rel.startsWith('..')) fileNames.add(rel);
  }
  return { fileNames, options: parsed.options };
}

const toPosix = (p: string): string => p.split(path.sep).join('/');

const JS_EXTENSIONS: readonly ts.FileExtensionInfo[] = ['.js', '.jsx', '.mjs', '.cjs'].map((extension) => ({ extension, isMixedContent: false, scriptKind: extension === '.jsx' ? ts.ScriptKind.JSX : ts.ScriptKind.JS }));

/** TypeScript's glob matcher (what ts.sys.readDirectory runs), over the map's folders. */
type MatchFiles = (root: string, extensions: readonly string[] | undefined, excludes: readonly string[] | undefined, includes: readonly string[] | undefined, caseSensitive: boolean, cwd: string, depth: number | undefined, entries: (dir: string) => { files: readonly string[]; directories: readonly string[] }, realpath: (p: string) => string) => string[];

function configHost(repo: RepoFiles, root: string): ts.ParseConfigHost {
  const rel = (p: string): string | undefined => {
    const r = path.posix.relative(root, toPosix(p));
    return r.startsWith('..') || path.posix.isAbsolute(r) ? undefined : r;
  };
  const inMap = (p: string): string | undefined => {
    const r = rel(p);
    return r === undefined ? undefined : repo.files.get(r);
  };
  // folder → its files and subfolders, from the map's paths (built on the first glob)
  let dirs: Map<string, { files: string[]; directories: Set<string> }> | undefined;
  const index = (): Map<string, { files: string[]; directories: Set<string> }> => {
    if (dirs) return dirs;
    dirs = new Map();
    const at = (d: string) => {
      let e = dirs!.get(d);
      if (!e) dirs!.set(d, (e = { files: [], directories: new Set() }));
      return e;
    };
    for (const f of repo.files.keys()) {
      const parts = f.split('/');
      for (let i = 0; i < parts.length - 1; i++) at(parts.slice(0, i).join('/')).directories.add(parts[i]!);
      at(parts.slice(0, -1).join('/')).files.push(parts[parts.length - 1]!);
    }
    return dirs;
  };
  const matchFiles = (ts as unknown as { matchFiles?: MatchFiles }).matchFiles;
  return {
    useCaseSensitiveFileNames: true,
    fileExists: (p) => inMap(p) !== undefined || ts.sys.fileExists(p),
    readFile: (p) => inMap(p) ?? ts.sys.readFile(p),
    readDirectory: (dir, extensions, excludes, includes, depth) => {
      // without TypeScript's matcher (an internal that a later TypeScript may drop), the disk's listing: the map mirrors it in the CLI
      if (!matchFiles) return ts.sys.readDirectory(dir, extensions, excludes, includes, depth);
      const entries = (d: string) => {
        const r = rel(d);
        const e = r === undefined ? undefined : index().get(r === '' ? '' : r);
        return { files: e?.files ?? [], directories: e ? [...e.directories] : [] };
      };
      return matchFiles(dir, extensions, excludes, includes, true, root, depth, entries, (p) => p);
    },
  };
}

/**
 * The tsconfig init drafts as the manifest's `tsconfig`, from the repo's files (every
 * `tsconfig.json` of the repo among them): the root's when there is one; else (a workspace
 * monorepo has one per package or app) the nearest one upwards from a legacy module's file whose
 * file list holds it, else any that holds it (the shallowest), else any whose `paths` map onto it
 * (the shallowest), else undefined. File lists and `paths` are read as tsc reads them, `extends`
 * followed (readTsconfig). The phases type-check with that tsconfig, so one that does not hold
 * the legacy module would leave its importers' rewrites unguarded.
 */
export function draftTsconfig(repo: RepoFiles, legacyFiles: readonly string[]): string | undefined {
  const { files } = repo;
  if (files.has(TSCONFIG)) return TSCONFIG;
  const holds = (config: string, file: string): boolean => tsconfigHolds(repo, config, file);
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
  return configs.find((c) => legacyFiles.some((f) => holds(c, f))) ?? configs.find((c) => legacyFiles.some((f) => tsconfigMapsTo(repo, c, f)));
}

/**
 * Whether a tsconfig's `compilerOptions.paths` (its own or inherited through `extends`) map a
 * specifier onto a repo file: a target (relative to `baseUrl`, else to the folder of the config that
 * declares `paths`; `*` standing for anything) naming the file without its extension or a folder
 * holding it (from apps/web, `../../packages/{*}/src` with `*` as `ws` holds packages/ws/src/index.ts).
 */
export function tsconfigMapsTo(repo: RepoFiles, configPath: string, file: string): boolean {
  const options = readTsconfig(repo, configPath)?.options as (ts.CompilerOptions & { pathsBasePath?: string }) | undefined;
  if (!options?.paths) return false;
  const root = toPosix(path.resolve(repo.repoDir));
  const baseAbs = options.baseUrl ?? options.pathsBasePath;
  const base = baseAbs === undefined ? path.posix.dirname(configPath) : path.posix.relative(root, toPosix(baseAbs)) || '.';
  const targets = Object.values(options.paths).flatMap((v) => v);
  return targets.some((t) => {
    const at = path.posix.normalize(path.posix.join(base, t.replace(/\\/g, '/')));
    if (at.startsWith('..')) return false;
    const pattern = at.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.+');
    return new RegExp(`^${pattern}(?:/|\\.[^/]+$)`).test(file);
  });
}

/**
 * Whether a tsconfig's file list holds a repo file, as tsc builds it (readTsconfig): its
 * `files`/`include`/`exclude`, or those it inherits through `extends` (relative to the config
 * that declares them), with tsc's defaults. A config that does not parse holds nothing.
 */
export function tsconfigHolds(repo: RepoFiles, configPath: string, file: string): boolean {
  return readTsconfig(repo, configPath)?.fileNames.has(path.posix.normalize(file)) ?? false;
}
