// Types for ts-api.js (the TypeScript API loaded through require(); see there for why).
import ts from 'typescript';
export default ts;
/** How typescript.js was loaded: from a valid V8 code cache ('hit'), or not and why; `file` is the cache file found, if any. */
export declare const codeCache: { readonly state: 'hit' | 'miss' | 'invalid' | 'rejected' | 'off' | 'error'; readonly file: string | undefined };
