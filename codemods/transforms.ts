import { discoverTransform } from './discover/scan.js';
import type { SyntaxTransform } from './engine/transform.js';
import { rewriteImportsTransform } from './rewrite-imports/transform.js';

/** Syntax transforms by name: the one table workers and the runner look transforms up in. */
export const SYNTAX_TRANSFORMS: Readonly<Record<string, SyntaxTransform>> = {
  [rewriteImportsTransform.name]: rewriteImportsTransform,
  [discoverTransform.name]: discoverTransform,
};
