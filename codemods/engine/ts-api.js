// The TypeScript compiler API — the toolkit's own typescript 5.9 dependency, never the target
// repo's (which may be 7.x, with no JS API) — loaded as CommonJS, not with an ESM import: an
// ESM `import ts from 'typescript'` makes Node scan the 9 MB typescript.js for export names
// (cjs-module-lexer) and sniff its module format first: ~1 s per thread (the main thread and
// each pool worker) before any file is parsed. Types come from ts-api.d.ts, so
// `import ts from './ts-api.js'` is used exactly like `import ts from 'typescript'`. Plain JS:
// the build copies this file and its .d.ts into dist/ as they are.
//
// V8 compiling typescript.js is the largest fixed cost of every command (~0.3 s of CPU per
// thread, measured on 2 cores), so it is loaded with a V8 code cache, as Node >= 22.1's
// module.enableCompileCache() would do (Node 20 has none): the compiled code is stored next to
// the installed packages (node_modules/.cache/ssot-migrate, the usual place for tools' caches)
// and V8 itself rejects a cache of another V8, flags or source. Any failure, a read-only
// install or NODE_DISABLE_COMPILE_CACHE=1: a plain require().
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { isMainThread } from 'node:worker_threads';

const require = createRequire(import.meta.url);

function loadTypeScript() {
  const file = require.resolve('typescript');
  if (require.cache[file] || process.env['NODE_DISABLE_COMPILE_CACHE']) return require(file);
  let mod;
  try {
    const pkgDir = dirname(require.resolve('typescript/package.json'));
    const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    const { size, mtimeMs } = statSync(file);
    const cacheDir = join(pkgDir, '..', '.cache', 'ssot-migrate');
    const cacheFile = join(cacheDir, `typescript-${version}-${size}-${Math.floor(mtimeMs)}-v8-${process.versions.v8}-${process.arch}.bin`);
    let cachedData;
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // no cache yet
    }
    const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, ...(cachedData ? { cachedData } : {}) });
    mod = new Module(file, undefined);
    mod.filename = file;
    mod.paths = Module._nodeModulePaths(dirname(file));
    script.runInThisContext().call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
    mod.loaded = true;
    // later require('typescript') calls (ts-morph's peers, tests) get this same instance
    require.cache[file] = mod;
    // Written at exit, so the functions this run compiled lazily (the parser) are in it too.
    if (isMainThread && (!cachedData || script.cachedDataRejected))
      process.once('exit', () => {
        try {
          mkdirSync(cacheDir, { recursive: true });
          const tmp = `${cacheFile}.${process.pid}.tmp`;
          writeFileSync(tmp, script.createCachedData());
          renameSync(tmp, cacheFile);
        } catch {
          // read-only install: no cache, nothing else changes
        }
      });
    return mod.exports;
  } catch {
    if (mod) delete require.cache[file];
    return require(file);
  }
}

export default loadTypeScript();
