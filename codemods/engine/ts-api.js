// The TypeScript compiler API for codemods/ and scripts/, loaded when this module is, through
// the toolkit's one loader (manifest/ts-load.js: its own typescript, from a V8 code cache), so
// `import ts from './ts-api.js'` is used exactly like `import ts from 'typescript'`; types from
// ts-api.d.ts. Plain JS: the build copies this file and its .d.ts into dist/ as they are.
import { codeCache, typescript } from '../../manifest/ts-load.js';

export { codeCache };
export default typescript();
