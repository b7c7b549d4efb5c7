// The TypeScript compiler API for codemods/ and scripts/, through the toolkit's one loader
// (manifest/ts-load.js: its own typescript, from a V8 code cache), so
// `import ts from './ts-api.js'` is used exactly like `import ts from 'typescript'`; types from
// ts-api.d.ts. Plain JS: the build copies this file and its .d.ts into dist/ as they are.
//
// Loaded on first use, not when this module is: the default export is a live binding that
// stands for TypeScript until something reads from it, which loads typescript.js (~0.1-0.4 s of
// CPU) and rebinds it to the API itself, so every later `ts.x` in every importer is a plain
// property read. A run starts its git listing and grep before that (a rewrite-imports run at 5%
// affected parses only what git's prefilter names); no module reads from it at its top level.
import { codeCache, loadedTypescript, typescript } from '../../manifest/ts-load.js';

export { codeCache };

// already loaded in this thread (manifest/'s template parser went first): the API itself
let ts =
  loadedTypescript() ??
  new Proxy(
    {},
    {
      get: (_, key) => load()[key],
      has: (_, key) => key in load(),
    },
  );

function load() {
  return (ts = typescript());
}

export { ts as default };
