// The TypeScript compiler API — the toolkit's own typescript 5.9 dependency, never the target
// repo's (which may be 7.x, with no JS API) — and the one place it is loaded: codemods/ and
// scripts/ through codemods/engine/ts-api.js (on first use: a live binding until then), manifest/'s template
// parser on first use (a manifest without templates loads no TypeScript). Two loaders would mean
// two copies, or one without the V8 code cache below (+50 MiB peak, +0.35 s per command): it
// lives here, in the lowest layer, so every layer reaches the same one. Loaded as CommonJS, not
// with an ESM import: an ESM `import ts from 'typescript'` makes Node scan the 9 MB
// typescript.js for export names (cjs-module-lexer) and sniff its module format first: ~1 s per
// thread (the main thread and each pool worker) before any file is parsed. Types come from
// ts-load.d.ts. Plain JS: the build copies this file and its .d.ts into dist/ as they are.
//
// V8 compiling typescript.js is the largest fixed cost of every command (~0.3 s of CPU per
// thread, measured on 2 cores), so it is loaded with a V8 code cache, as Node >= 22.1's
// module.enableCompileCache() would do (Node 20 has none). The cache is one file per
// typescript.js (version, size, mtime and ctime), Node/V8 build and command-line flags (the key in its name), in the first
// writable of: $SSOT_MIGRATE_CACHE_DIR; node_modules/.cache/ssot-migrate next to the installed
// typescript (the usual place for tools' caches); the user's cache folder ($XDG_CACHE_HOME or
// ~/.cache, else the OS temp folder). The main thread writes it at exit (atomically: a temp file
// renamed), when there was none or V8 rejected it, and refreshes it a few times when a run took
// at least twice the CPU of the run that wrote it (so likely compiled more of the parser lazily
// than it holds: the first run may have parsed next to nothing); a folder keeps its 8 newest cache files. Its header carries a SHA-256 of the payload: V8 (Node 20) does not verify its own
// checksum, and a damaged cache crashes the process (a fatal V8 error), so a file that does not
// match is never handed to V8 — it is ignored and rewritten, like one V8 rejects.
// NODE_DISABLE_COMPILE_CACHE=1 (Node's own switch for its cache) or any failure: a plain require().
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StringDecoder } from 'node:string_decoder';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';
import { isMainThread } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/**
 * File header: magic (8 bytes), refreshes so far (uint32 LE), SHA-256 of the payload (32), CPU
 * time in ms of the run that wrote it (uint32 LE).
 */
const MAGIC = Buffer.from('SSOTVC02');
const CPU_AT = MAGIC.length + 4 + 32;
const HEADER = CPU_AT + 4;
/** Times a valid cache is replaced by a larger one from a longer run, after which it stays. */
const MAX_REFRESHES = 3;
/**
 * A run refreshes the cache only when it took this many times the CPU of the run that wrote it:
 * then it likely compiled functions the cache lacks. Serializing and hashing the caches costs
 * ~50-100 ms at exit (typescript.js's ~2.6 MB and the bundle's), which every run over a second
 * paid until MAX_REFRESHES, the same large run repeated included (the bench's 100% row: 3 of 3 timed runs).
 */
const REFRESH_CPU_FACTOR = 2;
/** Cache files a folder keeps (the newest): one per typescript, Node and flags a user has run with; older ones are removed. */
const MAX_FILES = 8;
/** A run with less CPU than this (ms) is not asked for a refresh: it compiled little, and serializing costs ~30 ms. */
const REFRESH_AFTER_MS = 1000;

/** This process's CPU time so far (ms, every thread): how much a run did, nearly whatever the machine's load. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return Math.round((u.user + u.system) / 1000);
};

const sha256 = (b) => createHash('sha256').update(b).digest();

/** What loading typescript.js did, for tests and diagnostics: 'hit' | 'miss' | 'invalid' | 'rejected' | 'off' | 'error'. */
export const codeCache = { state: 'off', file: /** @type {string | undefined} */ (undefined) };

/** Folders the cache may live in, in order of preference. */
function cacheDirs(pkgDir) {
  const own = process.env['SSOT_MIGRATE_CACHE_DIR'];
  if (own) return [own];
  const user = process.env['XDG_CACHE_HOME'] || (homedir() ? join(homedir(), '.cache') : '');
  return [join(pkgDir, '..', '.cache', 'ssot-migrate'), user ? join(user, 'ssot-migrate') : join(tmpdir(), `ssot-migrate-${process.getuid?.() ?? 'user'}`)];
}

/** The payload of a cache file whose header checks out, with its refresh count and its writer's CPU ms. */
function readCache(file) {
  const buf = readFileSync(file);
  if (buf.length <= HEADER || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const payload = buf.subarray(HEADER);
  if (!sha256(payload).equals(buf.subarray(MAGIC.length + 4, CPU_AT))) return undefined;
  return { payload, refreshes: buf.readUInt32LE(MAGIC.length), cpuMs: buf.readUInt32LE(CPU_AT) };
}

function writeCache(dirs, name, payload, refreshes, cpu) {
  const header = Buffer.alloc(HEADER);
  MAGIC.copy(header);
  header.writeUInt32LE(refreshes, MAGIC.length);
  sha256(payload).copy(header, MAGIC.length + 4);
  header.writeUInt32LE(Math.min(cpu, 0xffffffff), CPU_AT);
  writeFirst(dirs, name, Buffer.concat([header, payload]));
}

/** `data` written as `name` in the first writable folder of `dirs`, atomically (a temp file renamed), old files pruned. */
function writeFirst(dirs, name, data) {
  for (const dir of dirs) {
    const file = join(dir, name);
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(tmp, data);
      renameSync(tmp, file);
      prune(dir);
      return;
    } catch {
      try {
        unlinkSync(tmp);
      } catch {
        // never written
      }
      // read-only: the next folder
    }
  }
}

/**
 * V8 settings for the TypeScript parser, set before typescript.js is compiled: V8 flags are per
 * process, so they hold for every thread started after (a pool worker loads TypeScript again,
 * which sets them again, the same). A flag the user gave on the command line or in NODE_OPTIONS
 * is left as they set it.
 *
 * TurboFan's cumulative inlining budget, 920 bytes of bytecode by default: optimizing the
 * parser's and the rewrite's hot functions is ~1/3 of a large run's CPU (V8's background
 * compiler threads, once per thread that parses: --trace-opt has our own named-list, diff and
 * import rewrites among the costliest, ~100 ms a compile). At 200 those threads do ~25% less for
 * slightly slower code on the main thread and the worker. Measured on the bench's 20,000-file
 * trees (alternating runs, load 5-13, total CPU): 100% affected 8.8 -> 8.6 s (median of 4;
 * background compiler 2.9 -> 2.2 s), 5% 1.74 -> 1.62 s (median of 5), dry-run output
 * byte-identical. Maglev (--maglev, Node 20's mid-tier compiler, off by default) was measured the
 * same way and not set: no less CPU at 100%, ~5% more at 5%.
 *
 * No allocation-site pretenuring: V8 allocates objects from a site whose objects kept surviving
 * scavenges straight in the old generation. Parsing file after file, the sites of TypeScript's
 * nodes and our per-file results get there (a tree is live while it is parsed, results are kept),
 * so every later file's garbage lands in old space too: fresh old-space pages (a first touch is
 * ~14 us on the bench's VM) and an old generation that grows until a mark-compact. Without it the
 * young generation takes them, as it does the rest of each file's garbage. Measured on the
 * bench's 100% tree (rewrite-imports --dry-run, in process, alternated pairs, chrt -r 1, load 4-7):
 * wall 3.25 -> 3.09 s, main-thread CPU 3.12 -> 2.95 s, peak RSS 188 -> 178 MiB, the heap at the
 * last scavenge 76 -> 64 MB. (The bench's canonical clients run without it for the same reason.)
 */
const V8_FLAGS = ['--max-inlined-bytecode-size-cumulative=200', '--no-allocation-site-pretenuring'];

/** A flag's name without `--`, `--no-` and its value: how a user's setting of it is recognised, either way. */
const flagName = (f) => f.replace(/^--(no-)?/, '').replace(/=.*$/, '');

/** The V8_FLAGS left to set when Node was started with `given` (its command-line flags and NODE_OPTIONS): those the user did not set, either way. */
export function v8FlagsToSet(given) {
  const g = given.replace(/_/g, '-');
  return V8_FLAGS.filter((f) => !g.includes(flagName(f)));
}

/** Sets V8_FLAGS the user did not set; returns those it set (part of the code cache's key). */
function tuneV8() {
  const set = v8FlagsToSet(`${commandFlags().join(' ')} ${process.env['NODE_OPTIONS'] ?? ''}`);
  try {
    for (const f of set) setFlagsFromString(f);
    return set;
  } catch {
    return []; // a runtime that refuses them: V8's defaults
  }
}

/** Node's command-line flags without an inline script (`node -e '…'`), which is no flag and would key a cache per script. */
function commandFlags() {
  const out = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const a = process.execArgv[i];
    if (/^(-e|--eval|-p|--print|-pe)$/.test(a)) i++;
    else if (!/^--(eval|print)=/.test(a)) out.push(a);
  }
  return out;
}

/** Removes all but the MAX_FILES newest cache files of each kind in `dir` (typescript.js, each bundle file: other versions, Node versions, flags, builds). */
function prune(dir) {
  try {
    const files = readdirSync(dir)
      .filter((f) => /^(typescript|\w+_cjs)-.+\.bin$|^validated_\w+-.+\.json$/.test(f))
      .map((f) => ({ f, kind: f.slice(0, f.indexOf('-')), t: statSync(join(dir, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    // per kind (typescript.js, each bundle file): a rebuilt bundle is a new file, and its old caches go
    const kept = new Map();
    for (const { f, kind } of files) {
      const n = (kept.get(kind) ?? 0) + 1;
      kept.set(kind, n);
      if (n > MAX_FILES) unlinkSync(join(dir, f));
    }
  } catch {
    // another process pruned it first, or the folder is shared read-only: it stays as it is
  }
}

/**
 * typescript.js (9 MB) read in 256 KiB pieces, wrapped as a CommonJS module (Module.wrap's text).
 * Read whole (`readFileSync(file, 'utf8')`), Node 20 grows one native buffer to 16 MiB for it;
 * freeing that raises glibc's malloc thresholds for the rest of the process (mmap 16 MiB, trim
 * 32 MiB), after which each thread's arena keeps up to 32 MiB it no longer uses. Measured on the
 * bench's 20,000-file tree at 100% affected: the arenas 52 -> 27 MiB at the peak
 * (/proc/self/smaps), peak RSS median of 4 runs 267 -> 254 MiB. The wrapper's two ends are joined
 * with the pieces, not concatenated after (`Module.wrap(text)`): that made a cons string V8
 * flattened into a third 9 MB copy before compiling, ~40 of ~200 ms of CPU from the first read to
 * the compiled script (code cache hit, 5 alternating runs at load ~9). 256 KiB, not 64: each
 * piece's string is then a large object V8 allocates outside the young generation, where 64 KiB
 * ones filled it and were copied by the start-up's scavenges (all of them still held) and again
 * into the old generation; import of ts-api.js with a warm cache, 12 alternated runs at load
 * ~20 (chrt -r 1): median ~194 -> ~182 ms (1 MiB pieces: no better). The buffer's malloc and free
 * move glibc's thresholds to 256 KiB (mmap) and 512 KiB (trim) only.
 */
function readWrapped(file) {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafeSlow(256 * 1024);
    const decoder = new StringDecoder('utf8');
    const parts = [Module.wrapper[0]];
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) parts.push(decoder.write(buf.subarray(0, n)));
    parts.push(decoder.end(), Module.wrapper[1]);
    return parts.join('');
  } finally {
    closeSync(fd);
  }
}

/** The cache's file name part for Node, V8 and the flags: V8 rejects a cache of another V8 or other V8 flags itself; the flags are in the name too, so runs with and without (say) --max-old-space-size keep one cache each instead of rewriting one. */
function runtimeKey(v8Flags) {
  const flags = sha256(`${commandFlags().join(' ')}\0${process.env['NODE_OPTIONS'] ?? ''}\0${v8Flags.join(' ')}`).toString('hex').slice(0, 12);
  return `node-${process.version}-v8-${process.versions.v8}-${process.arch}-${flags}`;
}

/**
 * Runs `text` (a CommonJS module's source wrapped as Module.wrap does) as the module `file`, from
 * the V8 code cache `name` in the first of `dirs` that has it; `state` gets how it loaded. The
 * cache is written at exit (so the functions this run compiled lazily are in it too) by the
 * thread that runs `file` when `writer` (the main thread, or a thread that is the only one to
 * load its file), when there was none or it was refused, and refreshed up to MAX_REFRESHES times
 * by runs that took REFRESH_CPU_FACTOR times the CPU of the one that wrote it. `importModuleDynamically` is not set: an `import()` in `text` fails
 * (codemods/engine/dynamic-import.ts).
 */
function runCached(file, text, name, dirs, state, writer, onRun) {
  let cached;
  state.state = 'miss';
  for (const dir of dirs) {
    try {
      cached = readCache(join(dir, name));
    } catch {
      continue; // not in this folder
    }
    state.file = join(dir, name);
    state.state = cached ? 'hit' : 'invalid';
    break;
  }
  const script = new Script(text, { filename: file, ...(cached ? { cachedData: cached.payload } : {}) });
  if (cached && script.cachedDataRejected) state.state = 'rejected';
  const mod = new Module(file, undefined);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(dirname(file));
  onRun?.();
  script.runInThisContext().call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  mod.loaded = true;
  if (writer) {
    const fresh = state.state !== 'hit';
    if (fresh || cached.refreshes < MAX_REFRESHES)
      process.once('exit', () => {
        try {
          const cpu = cpuMs();
          if (fresh) return writeCache(dirs, name, script.createCachedData(), 0, cpu);
          if (cpu < Math.max(REFRESH_AFTER_MS, REFRESH_CPU_FACTOR * cached.cpuMs)) return;
          const data = script.createCachedData();
          // larger: this run compiled functions the cache did not hold; otherwise only the count and the CPU move on
          writeCache(dirs, name, data.length > cached.payload.length ? data : cached.payload, cached.refreshes + 1, cpu);
        } catch {
          // no cache: nothing else changes
        }
      });
  }
  return mod;
}

function loadTypeScript(v8Flags) {
  const file = require.resolve('typescript');
  if (require.cache[file] || process.env['NODE_DISABLE_COMPILE_CACHE']) return require(file);
  let mod;
  try {
    const pkgDir = dirname(require.resolve('typescript/package.json'));
    const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    // ctime too: a typescript.js edited in place (a patch of the same length, its mtime put back)
    // changes it, and V8 checks only the source's length against a cache
    const { size, mtimeMs, ctimeMs } = statSync(file);
    const name = `typescript-${version}-${size}-${Math.floor(mtimeMs)}-${Math.floor(ctimeMs)}-${runtimeKey(v8Flags)}.bin`;
    mod = runCached(file, readWrapped(file), name, cacheDirs(pkgDir), codeCache, isMainThread);
    // later require('typescript') calls (ts-morph's peers, tests) get this same instance
    require.cache[file] = mod;
    return mod.exports;
  } catch {
    codeCache.state = 'error';
    if (mod) delete require.cache[file];
    return require(file);
  }
}

let loaded;

/** The TypeScript API, loaded on the first call of this thread (one copy; see the top of the file). */
export function typescript() {
  return (loaded ??= loadTypeScript(tuneV8()));
}

/** The TypeScript API if this thread has loaded it already, else undefined (codemods/engine/ts-api.js: then it waits for a first use). */
export function loadedTypescript() {
  return loaded;
}

/** How each bundle file loadBundle ran was loaded (tests and diagnostics), by file. */
export const bundleCodeCache = new Map();

/**
 * Runs one of the CLI's bundle files (dist/bundle/*.cjs, a CommonJS script: scripts/bundle.mjs)
 * from a V8 code cache, the way typescript.js is loaded above, and returns its exports. Node 20
 * keeps no compiled code between runs for our own modules either: without a cache every start
 * compiles the bundle's top level and, function by function as they are first called, all the
 * code a run reaches (the rewrite, the diff, the engine); from the cache it deserializes them.
 * Measured on the bench's 5% tree (rewrite-imports --dry-run, 8 alternating runs, load ~6):
 * main-thread CPU 485 -> 445 ms against the ES-module chunks it replaces, the same CPU without the
 * cache (480). The cache is keyed by the bundle file's size, mtime and ctime and by Node, V8 and
 * the flags (set first: tuneV8), in the same folders as typescript.js's; `writer` says whether this
 * thread writes it (one thread per file: the main thread for the CLI, the first pool worker for
 * the worker's). NODE_DISABLE_COMPILE_CACHE, a source-mapped run (SSOT_DEBUG: Node maps the stacks
 * of what require() loads, not of a vm.Script) or any failure: a plain require().
 */
export function loadBundle(url, writer = isMainThread) {
  const file = url instanceof URL ? fileURLToPath(url) : url;
  const v8Flags = tuneV8();
  const state = { state: 'off', file: undefined };
  bundleCodeCache.set(file, state);
  if (process.env['NODE_DISABLE_COMPILE_CACHE'] || process.sourceMapsEnabled || require.cache[file]) return require(file);
  let mod;
  let ran = false;
  try {
    const { size, mtimeMs, ctimeMs } = statSync(file);
    const name = `${basename(file).replace(/\W/g, '_')}-${size}-${Math.floor(mtimeMs)}-${Math.floor(ctimeMs)}-${createHash('sha256').update(file).digest('hex').slice(0, 8)}-${runtimeKey(v8Flags)}.bin`;
    mod = runCached(file, readWrapped(file), name, cacheDirs(dirname(require.resolve('typescript/package.json'))), state, writer, () => (ran = true));
    require.cache[file] = mod;
    return mod.exports;
  } catch (err) {
    // the bundle's own error as it ran: not run a second time
    if (ran) throw err;
    state.state = 'error';
    return require(file);
  }
}

/**
 * A result derived from a text by the bundle's own code (the validated manifest:
 * manifest/load.ts), kept beside the code caches: the JSON `value` stored for `key` under `kind`
 * by writeDerived, or undefined. Only from the CLI's bundle (`self`, the calling module's URL, is a
 * dist/bundle/*.cjs file): the key then includes that file's size, mtime and ctime, so another
 * build never reads it; from the compiled modules or the sources (tests, the checkout) nothing is
 * kept. NODE_DISABLE_COMPILE_CACHE turns it off with the code caches.
 */
export function readDerived(kind, key, self) {
  const at = derivedFile(kind, key, self);
  if (at === undefined) return undefined;
  for (const dir of at.dirs) {
    let text;
    try {
      text = readFileSync(join(dir, at.name), 'utf8');
    } catch {
      continue; // not in this folder
    }
    try {
      const stored = JSON.parse(text);
      return stored !== null && typeof stored === 'object' && stored.key === at.key ? stored.value : undefined;
    } catch {
      return undefined; // damaged: rewritten by the next writeDerived
    }
  }
  return undefined;
}

/** Stores `value` (JSON) for readDerived, atomically, in the first writable cache folder. */
export function writeDerived(kind, key, self, value) {
  const at = derivedFile(kind, key, self);
  if (at === undefined) return;
  writeFirst(at.dirs, at.name, JSON.stringify({ key: at.key, value }));
}

function derivedFile(kind, key, self) {
  if (process.env['NODE_DISABLE_COMPILE_CACHE'] || !/\/bundle\/[\w-]+\.cjs$/.test(self)) return undefined;
  try {
    const file = fileURLToPath(self);
    const { size, mtimeMs, ctimeMs } = statSync(file);
    const full = `${file}\0${size}\0${mtimeMs}\0${ctimeMs}\0${key}`;
    const hash = sha256(full).toString('hex');
    return { name: `validated_${kind}-${hash.slice(0, 24)}.json`, key: hash, dirs: cacheDirs(dirname(require.resolve('typescript/package.json'))) };
  } catch {
    return undefined;
  }
}
