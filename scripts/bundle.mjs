/**
 * The CLI's bundle (scripts/build.mjs runs it after tsc): dist/bundle/cli.js, which the installed
 * bin loads, its pool worker dist/bundle/worker.js, and dist/bundle/codemods.js (the engine's
 * API as the CLI runs it: the bench times it). Each of the three is one CommonJS script
 * (<name>.cjs: everything it can reach, commands and phases still evaluated on use) and a small
 * ES module (<name>.js) that runs it from a V8 code cache (manifest/ts-load.js loadBundle) and
 * re-exports what the entry exports. Node 20 keeps no compiled code of an ES module between runs
 * (module.enableCompileCache is Node >= 22.1) and a vm.Script can take a cache: every start
 * compiled the bundle's chunks and, as each was first called, every function a run reaches. From
 * the cache, the bench's 5% tree (rewrite-imports --dry-run, 8 alternating runs at load ~6-8):
 * main-thread CPU 485-510 -> 445-480 ms; at 100% with a worker process CPU 3.80 -> 3.64 s (5
 * pairs). Before, the ES-module chunks had replaced the ~90 compiled modules Node's ESM loader
 * resolved, read and linked one by one (~100 ms of CPU at each start). read-worker.js (the
 * read-ahead thread) and diff-worker.js (the diff thread) stay small ES modules.
 *
 * What stays out, loaded as it is:
 * - dist/canonical and dist/shim: an app's `ssot-migrate/shim` and the dashboard must share one
 *   instance of the shim's process-wide state (shim/runtime.ts), so the bundle imports their
 *   compiled files, the modules the package's exports load;
 * - the packages dist/canonical and dist/shim import (the dashboard merges the shim's prom-client
 *   registry into its own: one copy of each class);
 * - typescript (ts-api.js loads it with its V8 code cache), ts-morph (large, loaded on use; since
 *   ts-morph 28 it carries its own TypeScript in @ts-morph/common, not ours), the optional peers tsx
 *   and jscodeshift.
 * The library entry points (package.json "exports", dist/<folder>/index.js) are unchanged.
 *
 * manifest/zod.js is swapped for a static import of zod, which the bundle inlines (its ESM build
 * as one chunk: ~30 ms against ~65 ms for the ~95 files of the CommonJS build dist/ requires),
 * without the translations of `z.locales` but English (see the plugin).
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** Where the bundle goes under dist/. */
export const BUNDLE_DIR = 'bundle';
/** Entries (name -> compiled module under dist/): each is dist/bundle/<name>.js. */
export const BUNDLE_ENTRIES = {
  cli: 'scripts/cli.js',
  worker: 'codemods/engine/worker.js',
  'read-worker': 'codemods/engine/read-worker.js',
  'diff-worker': 'codemods/engine/diff-worker.js',
  codemods: 'codemods/index.js',
};
/** Packages left to the installed node_modules: those canonical/ and shim/ use, then the large and the optional ones. */
const EXTERNAL = ['ioredis', 'jose', 'ms', 'prom-client', 'ws', 'typescript', 'ts-morph', 'tsx', 'jscodeshift'];
/**
 * Compiled files loaded as they are, never copied into the bundle: the code-cache loader (each
 * bundle file's face imports it, and TypeScript must be loaded by one instance of it) and the
 * `import()` of what the bundle does not hold (an import() in a vm.Script has no loader on Node 20).
 */
const OUTSIDE = ['manifest/ts-load.js', 'codemods/engine/dynamic-import.js'];
/** Compiled folders imported as they are, never copied into the bundle. */
const SHARED = ['canonical', 'shim'];

/**
 * Bundles `dist` (a finished tsc output folder) into `dist`/bundle. Returns false when esbuild
 * is not installed (a build without devDependencies): the bin then loads dist/scripts/cli.js.
 */
export async function bundle(dist) {
  let esbuild;
  try {
    esbuild = require('esbuild');
  } catch {
    return false;
  }
  const outdir = path.join(dist, BUNDLE_DIR);
  const shared = {
    name: 'ssot-shared-modules',
    setup(build) {
      // a relative import reaching dist/canonical or dist/shim stays an import of that file
      build.onResolve({ filter: /^\./ }, (args) => {
        const target = path.resolve(args.resolveDir, args.path);
        const rel = path.relative(dist, target);
        if (!SHARED.some((d) => rel.startsWith(`${d}${path.sep}`)) && !OUTSIDE.includes(rel.split(path.sep).join('/'))) return undefined;
        return {
          path: `./${path.relative(outdir, target).split(path.sep).join('/')}`.replace(/^\.\/\.\.\//, '../'),
          external: true,
        };
      });
      build.onLoad({ filter: /[\\/]manifest[\\/]zod\.js$/ }, () => ({
        contents: "export { z } from 'zod';",
        loader: 'js',
        resolveDir: path.join(dist, 'manifest'),
      }));
      // zod's `z.locales`: its ~40 translations of the issue messages (~360 KB of the bundle,
      // compiled and run at every start) reach the bundle only through `z`'s namespace; the
      // toolkit sets no locale (zod's default is its English one, which zod imports itself),
      // so the bundle keeps English alone: ~30 ms less CPU per start at load ~8, measured apart
      build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
        contents: "export { default as en } from './en.js';",
        loader: 'js',
        resolveDir: path.dirname(args.path),
      }));
    },
  };
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20.19',
    external: EXTERNAL,
    plugins: [shared],
    sourcemap: true,
    legalComments: 'inline',
    logLevel: 'warning',
  };
  const entries = Object.fromEntries(Object.entries(BUNDLE_ENTRIES).map(([name, file]) => [name, path.join(dist, file)]));
  const { [READ_WORKER]: readWorker, [DIFF_WORKER]: diffWorker, ...cached } = entries;
  // each entry's exports, for its ES-module face (the CommonJS output does not list them)
  const meta = await esbuild.build({ ...common, entryPoints: cached, outdir, format: 'esm', write: false, metafile: true, sourcemap: false });
  await esbuild.build({
    ...common,
    entryPoints: cached,
    outdir,
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    // the module's own URL, as in the ES module it was: pool.ts and read-ahead.ts find the workers beside it, package-root.ts the package
    define: { 'import.meta.url': '__ssotImportMetaUrl' },
    banner: { js: "const __ssotImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  // the read-ahead and diff threads' entries: small, self-contained, no cache (engine/read-ahead.ts, engine/diff-thread.ts)
  await esbuild.build({ ...common, entryPoints: { [READ_WORKER]: readWorker, [DIFF_WORKER]: diffWorker }, outdir, format: 'esm', banner: ESM_REQUIRE });
  for (const name of Object.keys(cached)) {
    const out = Object.entries(meta.metafile.outputs).find(([, o]) => o.entryPoint !== undefined && path.resolve(o.entryPoint) === path.resolve(cached[name]));
    writeFileSync(path.join(outdir, `${name}.js`), faceOf(name, out?.[1].exports ?? []));
  }
  return true;
}

/** The pool worker's entry. */
const WORKER = 'worker';
/** The read-ahead thread's entry, built as an ES module. */
const READ_WORKER = 'read-worker';
/** The diff thread's entry, built as an ES module. */
const DIFF_WORKER = 'diff-worker';
/** A bundled CommonJS dependency's require() of a Node built-in needs a real require in ESM. */
const ESM_REQUIRE = { js: "import { createRequire as __ssotCreateRequire } from 'node:module';\nconst require = __ssotCreateRequire(import.meta.url);" };

/**
 * dist/bundle/<name>.js, the entry the bin, the bench and the pool import: runs <name>.cjs from
 * its V8 code cache (manifest/ts-load.js loadBundle) and exports what the entry module exports.
 */
function faceOf(name, exports) {
  const names = exports.filter((e) => e !== 'default');
  const lines = [
    `// ${name}.cjs from its V8 code cache (scripts/bundle.mjs, manifest/ts-load.js loadBundle). Generated.`,
    "import { loadBundle } from '../manifest/ts-load.js';",
    '',
    // a pool worker writes its own file's cache (no main thread loads it); each thread's write is atomic
    `const m = loadBundle(new URL('./${name}.cjs', import.meta.url)${name === WORKER ? ', true' : ''});`,
  ];
  if (names.length > 0) lines.push(`export const { ${names.join(', ')} } = m;`);
  if (exports.includes('default')) lines.push('export default m.default;');
  return `${lines.join('\n')}\n`;
}
