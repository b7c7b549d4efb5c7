// The TypeScript compiler API — the toolkit's own typescript 5.9 dependency, never the target
// repo's (which may be 7.x, with no JS API) — loaded with a plain require(). An ESM
// `import ts from 'typescript'` makes Node scan the 9 MB typescript.js for export names
// (cjs-module-lexer) and sniff its module format first: ~1 s per thread (the main thread and
// each pool worker) before any file is parsed. require() skips both. Types come from
// ts-api.d.ts, so `import ts from './ts-api.js'` is used exactly like `import ts from
// 'typescript'`. Plain JS: the build copies this file and its .d.ts into dist/ as they are.
import { createRequire } from 'node:module';

export default createRequire(import.meta.url)('typescript');
