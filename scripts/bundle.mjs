/**
 * The CLI's bundle (scripts/build.mjs runs it after tsc): dist/bundle/cli.js, which the installed
 * bin loads, its pool worker dist/bundle/worker.js, and dist/bundle/codemods.js (the engine's
 * API as the CLI runs it: the bench times it), with the chunks they share. Node's ESM loader
 * resolves, reads and links every module on its own: the ~90 compiled modules and ~20 of `diff`
 * a `run` loads cost ~100 ms of CPU at each start (measured on 2 cores); one graph of a few
 * chunks costs a fraction. Commands and phases still load on use: dynamic imports become chunks.
 *
 * What stays out, loaded as it is:
 * - dist/canonical and dist/shim: an app's `ssot-migrate/shim` and the dashboard must share one
 *   instance of the shim's process-wide state (shim/runtime.ts), so the bundle imports their
 *   compiled files, the modules the package's exports load;
 * - the packages dist/canonical and dist/shim import (the dashboard merges the shim's prom-client
 *   registry into its own: one copy of each class);
 * - typescript (ts-api.js loads it with its V8 code cache), ts-morph (large, loaded on use and
 *   sharing that typescript), the optional peers tsx and jscodeshift.
 * The library entry points (package.json "exports", dist/<folder>/index.js) are unchanged.
 *
 * manifest/zod.js is swapped for a static import of zod, which the bundle inlines (its ESM build
 * as one chunk: ~30 ms against ~65 ms for the ~95 files of the CommonJS build dist/ requires),
 * without the translations of `z.locales` but English (see the plugin).
 */
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
  codemods: 'codemods/index.js',
};
/** Packages left to the installed node_modules: those canonical/ and shim/ use, then the large and the optional ones. */
const EXTERNAL = ['ioredis', 'jose', 'ms', 'prom-client', 'ws', 'typescript', 'ts-morph', 'tsx', 'jscodeshift'];
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
        if (!SHARED.some((d) => rel.startsWith(`${d}${path.sep}`))) return undefined;
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
  await esbuild.build({
    entryPoints: Object.fromEntries(Object.entries(BUNDLE_ENTRIES).map(([name, file]) => [name, path.join(dist, file)])),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    external: EXTERNAL,
    plugins: [shared],
    chunkNames: 'chunk-[hash]',
    // a bundled CommonJS dependency's require() of a Node built-in needs a real require in ESM
    banner: {
      js: "import { createRequire as __ssotCreateRequire } from 'node:module';\nconst require = __ssotCreateRequire(import.meta.url);",
    },
    sourcemap: true,
    legalComments: 'inline',
    logLevel: 'warning',
  });
  return true;
}
