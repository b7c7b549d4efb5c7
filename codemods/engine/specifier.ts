/** How one repo file names another in an import: the relative path and the file's `.js` habit. */
import { posix } from 'node:path';

const SOURCE_EXT = /\.(d\.)?[cm]?[jt]sx?$/;

/** The specifier a file writes for a repo module file (any source extension): `.js`-suffixed (`.mjs`/`.cjs` for .mts/.cts; NodeNext) or bare. */
export function relativeSpecifier(fromFile: string, toFile: string, withJs: boolean): string {
  let rel = posix.relative(posix.dirname(fromFile), toFile.replace(SOURCE_EXT, ''));
  if (!rel.startsWith('.')) rel = `./${rel}`;
  const ext = /\.m[jt]s$/.test(toFile) ? '.mjs' : /\.c[jt]s$/.test(toFile) ? '.cjs' : '.js';
  return withJs ? rel + ext : rel;
}

/** Whether a file's relative imports carry a `.js` suffix (one with no relative import is taken to, as NodeNext needs). */
export function usesJsSuffix(text: string): boolean {
  return /from\s+['"]\.\.?\/[^'"]*\.js['"]/.test(text) || !/from\s+['"]\.\.?\//.test(text);
}
