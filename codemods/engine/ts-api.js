// The TypeScript compiler API, loaded with a plain require(). An ESM `import ts from
// 'typescript'` makes Node scan the 9 MB typescript.js for export names (cjs-module-lexer)
// and sniff its module format first: ~1 s per thread (the main thread and each pool worker)
// before any file is parsed. require() skips both. Types come from ts-api.d.ts, so
// `import ts from './ts-api.js'` is used exactly like `import ts from 'typescript'`.
import { createRequire } from 'node:module';

export default createRequire(import.meta.url)('typescript');
