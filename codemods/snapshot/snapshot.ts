/**
 * One snapshot of the target repo per command (per phase run): the manifest parsed once, the
 * file list, the resolver and tsconfig, the phase context with its prefilter, the resolved
 * phase order, a lazily built TypeScript program / ts-morph project for the type-aware
 * phases, and the figures (compliance, legacy sites per file) from one scan — the "after"
 * figures re-scan only the files a phase changed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Project } from 'ts-morph';
import type ts from 'typescript';
import { loadManifest, MANIFEST_FILE, ManifestError, parseManifest } from '../../manifest/index.js';
import type { SsotManifest } from '../../manifest/types.js';
import { buildInventory, type Inventory } from '../discover/inventory.js';
import { discoverTransform, type DiscoverFileData } from '../discover/scan.js';
import { buildPhaseContext, earlyPrefilterTokens, parseLegacyAhead, type ParsedAhead, type PhaseContext } from '../engine/context.js';
import { GitPrefilter } from '../engine/git-prefilter.js';
import { isSourceFile, listCandidateFiles, listNodeScripts, listRepoFilesAsync } from '../engine/files.js';
import { moduleIdOf } from '../engine/module-id.js';
import { ModuleResolver, type ResolverData } from '../engine/resolve.js';
import { GIT_MAX_MATCHES, runSyntaxPhase, type SyntaxRunFile } from '../engine/run.js';
import tsApi from '../engine/ts-api.js';
import { readResolverData } from '../engine/tsconfig.js';
import { reachesAnyFile } from '../engine/global-declarations.js';
import { shareOutsideRepo } from '../engine/shared-source-files.js';
import { withImporters } from '../engine/importer-closure.js';
import { resolvePhaseOrder, type PhaseOrder } from '../phase/order.js';
import type { FileWrite, RepoFigures } from '../phase/types.js';
import { checkManifestAgainstRepo } from './manifest-check.js';
import { importModule } from '../engine/dynamic-import.js';

/** How much text a memoReader keeps (characters): a 64 MiB-ish bound for very large repos. */
const READ_MEMO_CHARS = 32_000_000;

/** What the machinery did in this process: tests prove "one scan per side" with these. */
export const snapshotStats = { opened: 0, fullScans: 0, rescannedFiles: 0, contexts: 0, programs: 0 };

export interface ScanResult {
  /** Per candidate file: its report and, when parsed, its declarations and import sites. */
  files: Map<string, SyntaxRunFile & { data?: DiscoverFileData }>;
  scanned: number;
  parsed: number;
}

/** The compiler setup the type-aware phases share: parsed tsconfig, a host with an in-memory overlay, the baseline program. */
export interface TypeSetup {
  rootNames: readonly string[];
  options: ts.CompilerOptions;
  host: ts.CompilerHost;
  /** Absolute path → text that replaces the file on disk for programs built with `host`. */
  overlay: Map<string, string>;
  /** The unchanged repo's program (built on first use, kept until `releaseBaseline`). */
  baseline(): ts.Program;
  /**
   * Drops the baseline program and its checker (the parsed files stay cached in `host`, so a
   * later `baseline()` re-resolves and re-checks but does not re-parse): a phase's peak memory
   * is then one program's checker at a time, not the baseline's plus a guard round's.
   */
  releaseBaseline(): void;
  /** A program of the tree with `overlay` applied (built with `host`): of `rootNames` and what they reach (default: the tsconfig's files). */
  createProgram(rootNames?: readonly string[]): ts.Program;
  /** The repo files (absolute) the imports of `text`, as file `file` (absolute), resolve to: a lexer scan, no parse. */
  resolveImports(file: string, text: string): string[];
  /** Every tsconfig file of the unchanged tree (repo-relative): what it imports, scanned once (the overlay must be empty then). */
  repoImports(): ReadonlyMap<string, RepoImports>;
}

/** One file's place in the import graph. */
export interface RepoImports {
  /** Repo files it imports (repo-relative; packages left out). */
  imports: string[];
  /** Its declarations reach files that do not import it (reachesAnyFile). */
  global: boolean;
}

export interface OpenOptions {
  /** Use this manifest text instead of reading ssot.config.json (the tree after a phase that edits it). */
  manifestText?: string;
  /** Worker threads for the scan (default: automatic). */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * Start git's grep for the manifest's prefilter tokens at once (engine/git-prefilter.ts): the
   * caller plans a syntax phase over the candidates next (Phase.gitPrefilter), which takes it
   * (takeGitPrefilter) instead of reading every file. SSOT_GIT_PREFILTER=0 turns it off.
   */
  gitPrefilter?: boolean;
}

export class RepoSnapshot {
  private readonly _repoFiles: string[];
  private _nodeScripts: string[] | undefined;
  private _candidates?: string[];
  private _resolverData?: ResolverData;
  private _resolver?: ModuleResolver;
  private _context?: PhaseContext;
  private _scan?: Promise<ScanResult>;
  private _gitPrefilter?: GitPrefilter;
  /** The legacy modules parsed while open waited for git's listing (engine/context.ts parseLegacyAhead), for the context. */
  private _parsedAhead?: ParsedAhead;
  private _inventory?: Promise<Inventory>;
  private _types?: TypeSetup | null;
  private _project?: Project;

  private constructor(
    readonly repo: string,
    readonly manifest: SsotManifest,
    /** Every phase the manifest's repo knows, built-in and custom, in order; and the selected ones. */
    readonly phases: PhaseOrder,
    private readonly opts: OpenOptions,
    repoFiles: string[],
  ) {
    this._repoFiles = repoFiles;
  }

  /**
   * Reads and validates the manifest (ManifestError naming the field), resolves the phase order
   * and lists the repo's files (git runs while the manifest is read and validated: one serial
   * wait less on every command's start-up).
   */
  static async open(repoDir: string, opts: OpenOptions = {}): Promise<RepoSnapshot> {
    const repo = resolve(repoDir);
    const text = opts.manifestText ?? (opts.gitPrefilter === true ? readManifestText(repo) : undefined);
    const git = opts.gitPrefilter === true && text !== undefined && process.env['SSOT_GIT_PREFILTER'] !== '0' ? startGitPrefilter(repo, text) : undefined;
    // with the prefilter, its index listing lists the repo too (engine/git-prefilter.ts): no second git ls-files
    const listing = git !== undefined ? git.repoFiles().then((files) => files ?? listRepoFilesAsync(repo)) : listRepoFilesAsync(repo);
    listing.catch(() => {}); // a bad manifest is the error to report; the listing's is awaited below otherwise
    try {
      const manifest = text !== undefined ? parseManifest(text, join(repo, MANIFEST_FILE)) : await loadManifest(repo);
      const phases = resolvePhaseOrder(manifest, join(repo, MANIFEST_FILE));
      // a syntax phase's run builds its context next: its legacy modules are parsed while git still lists the repo
      const ahead = git !== undefined ? parseLegacyAhead(repo, manifest) : undefined;
      const repoFiles = await listing;
      snapshotStats.opened++;
      const snapshot = new RepoSnapshot(repo, manifest, phases, opts, repoFiles);
      snapshot._gitPrefilter = git;
      snapshot._parsedAhead = ahead;
      return snapshot;
    } catch (err) {
      git?.stop();
      throw err;
    }
  }

  /**
   * git's grep started by open (OpenOptions.gitPrefilter), for the first syntax run over the
   * candidates: once (a later run may follow writes it did not see), and only while the tree is
   * as it was opened.
   */
  takeGitPrefilter(): GitPrefilter | undefined {
    const git = this._gitPrefilter;
    this._gitPrefilter = undefined;
    return git;
  }

  /**
   * The manifest checked against this repo (codemods/snapshot/manifest-check.ts): the fields the
   * selected phases need, modules, exported symbols, factory entries, classes and members.
   * Throws a ManifestError naming each field. `legacyRemoved`: remove-shim is committed, so
   * deleted legacy modules are expected.
   */
  checkManifest(opts: { legacyRemoved?: boolean } = {}): void {
    const issues = checkManifestAgainstRepo({
      repo: this.repo,
      manifest: this.manifest,
      repoFiles: this.repoFiles,
      resolver: this.resolver,
      phases: this.phases.selected.map((e) => e.phase),
      ...(this.types() ? { compilerOptions: this.types()!.options } : {}),
      read: (f) => this.read(f),
      ...(opts.legacyRemoved !== undefined ? { legacyRemoved: opts.legacyRemoved } : {}),
    });
    if (issues.length) throw new ManifestError(join(this.repo, MANIFEST_FILE), issues);
  }

  /** Every file of the repo (tracked and untracked, minus ignored), repo-relative. */
  get repoFiles(): string[] {
    return this._repoFiles;
  }

  /** Source files the phases may touch: minus node_modules and the manifest's `exclude`. */
  get candidates(): string[] {
    return (this._candidates ??= listCandidateFiles(this.repo, this.manifest.exclude, this.repoFiles));
  }

  /** Extensionless Node scripts (`bin/www`): not edited, but code that stays (engine/files.ts listNodeScripts). */
  get nodeScripts(): string[] {
    return (this._nodeScripts ??= listNodeScripts(this.repo, this.manifest.exclude, this.repoFiles));
  }

  get resolverData(): ResolverData {
    return (this._resolverData ??= readResolverData(this.repo, this.manifest.tsconfig, [...new Set(this.repoFiles.filter(isSourceFile).map(moduleIdOf))]));
  }

  get resolver(): ModuleResolver {
    return (this._resolver ??= new ModuleResolver(this.resolverData));
  }

  /** The syntax phases' context (legacy and canonical targets, prefilter tokens), built once. */
  get context(): PhaseContext {
    if (!this._context) {
      snapshotStats.contexts++;
      this._context = buildPhaseContext(this.repo, this.manifest, this.repoFiles, this.resolverData, this._parsedAhead);
      this._parsedAhead = undefined;
    }
    return this._context;
  }

  /** A repo file's text, or undefined when it does not exist. */
  read(file: string): string | undefined {
    // one open, not a stat first: the passes over every candidate call this 20,000 times each
    try {
      return readFileSync(join(this.repo, file), 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw err;
    }
  }

  /**
   * `read`, remembering each text for the caller's several passes over the same files (legacy
   * use: imports, markers, comments; discover: moves, decisions), up to READ_MEMO_CHARS in all
   * (~16 M on the 20,000-file bench tree); past that it reads through. Only for passes that write
   * nothing in between: the memo does not see the tree change.
   */
  memoReader(): (file: string) => string | undefined {
    const memo = new Map<string, string | undefined>();
    let chars = 0;
    return (file) => {
      if (memo.has(file)) return memo.get(file);
      const text = this.read(file);
      if (chars < READ_MEMO_CHARS) {
        memo.set(file, text);
        chars += text?.length ?? 0;
      }
      return text;
    };
  }

  /** The discover scan over every candidate (prefiltered, parsed in process or on workers), once. */
  scan(): Promise<ScanResult> {
    this._scan ??= (async () => {
      snapshotStats.fullScans++;
      const run = await runSyntaxPhase({
        repoDir: this.repo,
        transformName: discoverTransform.name,
        ctx: this.context,
        files: this.candidates,
        ...(this._gitPrefilter !== undefined ? { gitPrefilter: this.takeGitPrefilter() } : {}),
        ...(this.opts.workers !== undefined ? { workers: this.opts.workers } : {}),
        ...(this.opts.onProgress ? { onProgress: this.opts.onProgress } : {}),
      });
      return { files: new Map(run.files.map((f) => [f.report.file, f as SyntaxRunFile & { data?: DiscoverFileData }])), scanned: run.scanned, parsed: run.parsed };
    })();
    return this._scan;
  }

  /** The inventory (declarations, import sites, compliance) from the one scan. */
  inventory(): Promise<Inventory> {
    this._inventory ??= this.scan().then((s) => buildInventory(this.context, [...s.files.values()], s.scanned, s.parsed));
    return this._inventory;
  }

  /** Compliance and legacy sites per file before any change. */
  async figures(): Promise<RepoFigures> {
    return figuresOf((await this.inventory()).importSites);
  }

  /**
   * The figures of the tree with `writes` applied (and on disk): only the changed source files
   * are scanned again. When a phase edits the manifest or creates or deletes a module, what
   * every other file resolves to may change, so the after side is a full scan of a new snapshot.
   */
  async figuresAfter(writes: readonly FileWrite[]): Promise<RepoFigures> {
    const known = new Set(this.repoFiles);
    const manifestWrite = writes.find((w) => w.path === MANIFEST_FILE);
    const structural = manifestWrite !== undefined || writes.some((w) => isSourceFile(w.path) && (w.content === null || !known.has(w.path)));
    if (structural) {
      const text = manifestWrite && typeof manifestWrite.content === 'string' ? manifestWrite.content : undefined;
      // no git prefilter: this snapshot is opened for figures (discover's scan), not for the phase that asked for one
      const { gitPrefilter: _, ...opts } = this.opts;
      const next = await RepoSnapshot.open(this.repo, { ...opts, ...(text !== undefined ? { manifestText: text } : {}) });
      return next.figures();
    }
    const before = await this.scan();
    const candidates = new Set(this.candidates);
    const changed = [...new Set(writes.map((w) => w.path))].filter((p) => candidates.has(p));
    if (changed.length === 0) return this.figures();
    snapshotStats.rescannedFiles += changed.length;
    const run = await runSyntaxPhase({ repoDir: this.repo, transformName: discoverTransform.name, ctx: this.context, files: changed, workers: 0 });
    const byFile = new Map(before.files);
    for (const f of run.files) byFile.set(f.report.file, f as SyntaxRunFile & { data?: DiscoverFileData });
    return figuresOf([...byFile.values()].flatMap((f) => f.data?.sites ?? []));
  }

  /**
   * `files` and every file that can see a declaration of one of them: their importers,
   * transitively, and the files whose declarations reach files that do not import them
   * (reachesAnyFile). A file outside it can neither reference nor be affected by what `files`
   * declare. Undefined without a tsconfig.
   */
  filesReaching(files: Iterable<string>): Set<string> | undefined {
    const graph = this.types()?.repoImports();
    if (!graph) return undefined;
    const importers = new Map<string, string[]>();
    const global: string[] = [];
    for (const [f, r] of graph) {
      if (r.global) global.push(f);
      for (const d of r.imports) (importers.get(d) ?? importers.set(d, []).get(d)!).push(f);
    }
    const out = withImporters(files, (f) => importers.get(f));
    for (const f of global) out.add(f);
    return out;
  }

  /** The repo's tsconfig as a compiler setup (a JavaScript repo without one: checkJs over its sources; else undefined when the repo has no tsconfig). */
  types(): TypeSetup | undefined {
    if (this._types === undefined) this._types = buildTypeSetup(this.repo, this.manifest.tsconfig, () => this.candidates);
    return this._types ?? undefined;
  }

  /**
   * The ts-morph project of this snapshot (its tsconfig's options, no files until asked for):
   * `files` are added with what they import. Built on first use; ts-morph loads only then.
   */
  async project(files: readonly string[]): Promise<Project> {
    if (!this._project) {
      const { Project } = await importModule<typeof import('ts-morph')>('ts-morph');
      // the tsconfig parsed once for the snapshot (types()): handing ts-morph its path would parse
      // it and walk the repo for its file list again (~0.4 s at 10,000 files)
      const types = this.types();
      // allowJs: a legacy module (or a caller) may be plain JavaScript, and a file outside the
      // program has no checker answers (a member's signature throws); only the files asked for load
      this._project = new Project({ compilerOptions: { ...types?.options, allowJs: true }, skipAddingFilesFromTsConfig: true });
    }
    return this.loadedProject(files);
  }

  /**
   * Drops the ts-morph project (its program, checker and wrappers) once a phase's analysis is
   * done, before the type guard builds its own program: the two are never alive together.
   */
  releaseProject(): void {
    this._project = undefined;
  }

  /** `project(files)` once the project exists (after an awaited `project()`), for synchronous callers. */
  loadedProject(files: readonly string[]): Project {
    const p = this._project;
    if (!p) throw new Error('snapshot: await project() before loadedProject()');
    let added = false;
    for (const f of files) {
      const abs = join(this.repo, f);
      if (!p.getSourceFile(abs)) {
        p.addSourceFileAtPath(abs);
        added = true;
      }
    }
    if (added) p.resolveSourceFileDependencies();
    return p;
  }
}

/** Compliance (share of sites already canonical, 0.1 precision) and legacy sites per file. */
export function figuresOf(sites: ReadonlyArray<{ file: string; target: string; compliant: boolean }>): RepoFigures {
  const legacySitesByFile: Record<string, number> = {};
  let compliant = 0;
  for (const s of sites) {
    if (s.compliant) compliant++;
    if (s.target !== 'canonical') legacySitesByFile[s.file] = (legacySitesByFile[s.file] ?? 0) + 1;
  }
  return { compliance: sites.length === 0 ? 100 : Math.round((1000 * compliant) / sites.length) / 10, legacySitesByFile };
}

/**
 * What a repo of plain JavaScript with no tsconfig is checked as: TypeScript's checkJs over its
 * sources (so the type guard still withdraws a rewrite that breaks a JavaScript file, e.g. type
 * syntax, a name not in scope), as `tsc --allowJs --checkJs` would.
 */
const JAVASCRIPT_REPO_CONFIG = { compilerOptions: { allowJs: true, checkJs: true, noEmit: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: true }, include: ['**/*'], exclude: ['node_modules', '**/node_modules'] };

function buildTypeSetup(repo: string, tsconfig: string, candidates: () => readonly string[]): TypeSetup | null {
  const configPath = join(repo, tsconfig);
  let parsed: ts.ParsedCommandLine;
  if (existsSync(configPath)) {
    const read = tsApi.readConfigFile(configPath, tsApi.sys.readFile);
    parsed = tsApi.parseJsonConfigFileContent(read.config, tsApi.sys, dirname(configPath), undefined, configPath);
  } else {
    // no tsconfig: only a repo whose sources are all JavaScript gets a setup (a TypeScript repo without one is not guessed at)
    const sources = candidates();
    if (sources.length === 0 || sources.some((f) => !/\.[cm]?jsx?$/.test(f))) return null;
    parsed = tsApi.parseJsonConfigFileContent(JAVASCRIPT_REPO_CONFIG, tsApi.sys, repo);
  }
  const options = { ...parsed.options, noEmit: true };
  const overlay = new Map<string, string>();
  const host = tsApi.createCompilerHost(options, true);
  // What a program reads from outside the repo's own code (TypeScript's libs, node_modules'
  // declarations, a linked package) is the same for every phase of a run: parsed and bound once per process.
  shareOutsideRepo(host, options, repo);
  const baseRead = host.readFile.bind(host);
  const baseGet = host.getSourceFile.bind(host);
  // Every program of the snapshot shares the parsed files on disk (one compiler options set, so
  // one parse per path), as a language service's document registry does; programs are built
  // without `oldProgram`, which keeps the old program and its checker reachable from the new one.
  const sourceFiles = new Map<string, ts.SourceFile | undefined>();
  host.readFile = (f) => overlay.get(resolve(f)) ?? baseRead(f);
  host.getSourceFile = (f, lang, onError, create) => {
    const abs = resolve(f);
    const text = overlay.get(abs);
    if (text !== undefined) return tsApi.createSourceFile(f, text, lang, true);
    if (!sourceFiles.has(abs)) sourceFiles.set(abs, baseGet(f, lang, onError, create));
    return sourceFiles.get(abs);
  };
  // Module resolution depends on the files that exist, not on their text, so every program of
  // the snapshot shares one resolution cache (a program without `oldProgram` would otherwise
  // resolve every import of the repo again).
  const resolutionCache = tsApi.createModuleResolutionCache(host.getCurrentDirectory(), (f) => host.getCanonicalFileName(f), options);
  host.getModuleResolutionCache = () => resolutionCache;
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, opts, containingSourceFile) =>
    literals.map((l) => tsApi.resolveModuleName(l.text, containingFile, opts, host, resolutionCache, redirected, tsApi.getModeForUsageLocation(containingSourceFile, l, opts)));
  const build = (rootNames: readonly string[] = parsed.fileNames): ts.Program => {
    snapshotStats.programs++;
    return tsApi.createProgram({ rootNames, options, host });
  };
  const resolveImports = (file: string, text: string): string[] =>
    tsApi.preProcessFile(text, true, true).importedFiles.flatMap((imp) => {
      const r = tsApi.resolveModuleName(imp.fileName, file, options, host, resolutionCache).resolvedModule;
      return r && !r.isExternalLibraryImport ? [r.resolvedFileName] : [];
    });
  let repoImports: Map<string, RepoImports> | undefined;
  let baseline: ts.Program | undefined;
  return {
    rootNames: parsed.fileNames,
    options,
    host,
    overlay,
    baseline() {
      if (!baseline) {
        if (overlay.size) throw new Error('snapshot: the baseline program must be built without an overlay');
        baseline = build();
      }
      return baseline;
    },
    releaseBaseline() {
      baseline = undefined;
    },
    createProgram: build,
    resolveImports,
    repoImports() {
      if (!repoImports) {
        if (overlay.size) throw new Error('snapshot: the repo imports must be scanned without an overlay');
        const rel = (f: string): string => relative(repo, f).split(sep).join('/');
        repoImports = new Map();
        for (const file of parsed.fileNames) {
          const text = host.readFile(file);
          if (text !== undefined) repoImports.set(rel(file), { imports: resolveImports(file, text).map(rel), global: reachesAnyFile(text) });
        }
      }
      return repoImports;
    },
  };
}

/** The manifest's text for open, or undefined when it cannot be read (loadManifest then reports why). */
function readManifestText(repo: string): string | undefined {
  try {
    return readFileSync(join(repo, MANIFEST_FILE), 'utf8');
  } catch {
    return undefined;
  }
}

/** git's grep for the tokens the manifest's raw JSON gives (engine/context.ts earlyPrefilterTokens); none for JSON that does not parse (the validation reports it). */
function startGitPrefilter(repo: string, text: string): GitPrefilter | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const tokens = earlyPrefilterTokens(raw);
  return tokens === undefined ? undefined : new GitPrefilter(repo, tokens, GIT_MAX_MATCHES);
}
