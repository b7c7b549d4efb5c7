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

/** Whether a file's relative imports carry a `.js` suffix: what they show, else `fallback` (default true, as NodeNext needs). */
export function usesJsSuffix(text: string, fallback = true): boolean {
  return jsSuffixHabit(text) ?? fallback;
}

/** What a file's own relative imports show: true (`.js`), false (bare), undefined (it has none). */
export function jsSuffixHabit(text: string): boolean | undefined {
  if (/from\s+['"]\.\.?\/[^'"]*\.js['"]/.test(text)) return true;
  return /from\s+['"]\.\.?\//.test(text) ? false : undefined;
}

/**
 * The repo's habit, for a file that shows none of its own (a legacy module importing only
 * packages): the majority of the files that show one, up to `sample` of them; a tie or no evidence
 * is `.js`. Without it, such a module's facade imported `./x.legacy.js` in a CommonJS repo whose
 * imports are all bare, which tsc accepts but ts-node (CommonJS) cannot load at run time.
 */
export function repoUsesJsSuffix(texts: Iterable<string | undefined>, sample = 50): boolean {
  let js = 0;
  let bare = 0;
  for (const text of texts) {
    const h = text === undefined ? undefined : jsSuffixHabit(text);
    if (h === true) js++;
    else if (h === false) bare++;
    if (js + bare >= sample) break;
  }
  return js >= bare;
}
