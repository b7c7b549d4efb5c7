/**
 * zod for the manifest schema: its CommonJS build, one require() in-thread. Its ESM build is ~95
 * modules, each resolved and loaded through the ESM loader (and, from the TypeScript sources,
 * tsx's loader thread), which cost every command ~0.2-0.3 s of start-up (measured on 2 cores).
 * Same API, same types. The CLI's bundle (scripts/bundle.mjs) swaps this module for a static
 * import of zod, which it inlines as one chunk.
 */
import { createRequire } from 'node:module';
import type { z as Zod } from 'zod';

export const { z } = createRequire(import.meta.url)('zod') as { z: typeof Zod };
