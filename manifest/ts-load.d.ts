// Types for ts-load.js (the TypeScript API loaded through require(); see there for why).
import type ts from 'typescript';
/** The TypeScript API, loaded on the first call of this thread. */
export declare function typescript(): typeof ts;
/** The TypeScript API if this thread has loaded it already, else undefined. */
export declare function loadedTypescript(): typeof ts | undefined;
/** How typescript.js was loaded: from a valid V8 code cache ('hit'), or not and why; `file` is the cache file found, if any. */
export declare const codeCache: { readonly state: 'hit' | 'miss' | 'invalid' | 'rejected' | 'off' | 'error'; readonly file: string | undefined };
/** How each bundle file loadBundle ran was loaded, by its path. */
export declare const bundleCodeCache: ReadonlyMap<string, { readonly state: 'hit' | 'miss' | 'invalid' | 'rejected' | 'off' | 'error'; readonly file: string | undefined }>;
/** Runs a CommonJS bundle file (dist/bundle/*.cjs) from its V8 code cache and returns its exports; `writer`: this thread writes the cache (default: the main thread). */
export declare function loadBundle(url: URL | string, writer?: boolean): Record<string, unknown>;
/** A JSON result derived from a text by the bundle's own code (`self`: the caller's import.meta.url), kept beside the code caches; undefined when none. */
export declare function readDerived(kind: string, key: string, self: string): unknown;
/** Stores what readDerived returns for (`kind`, `key`, `self`). */
export declare function writeDerived(kind: string, key: string, self: string, value: unknown): void;
/** The V8 flags ts-load.js sets (TurboFan's inlining budget, no allocation-site pretenuring) that `given` (Node's command-line flags and NODE_OPTIONS) does not set either way. */
export declare function v8FlagsToSet(given: string): string[];
