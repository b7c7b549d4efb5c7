/**
 * Glob matching for the manifest's `exclude` patterns, by picomatch (the matcher behind
 * micromatch, fast-glob, chokidar): the full glob syntax — `**`, `*`, `?`, `{a,b}`, `[a-z]`,
 * extglobs, escapes — with the semantics users know from their other tools, where a
 * hand-written matcher knew four constructs. Dotfiles match like any file.
 */
import picomatch from 'picomatch';

/** A matcher for repo-relative posix paths; a pattern also matches everything under a matching directory. */
export function makeGlobMatcher(patterns: readonly string[]): (path: string) => boolean {
  const globs = patterns.map((p) => p.replace(/^\.\//, '').replace(/\/+$/, '')).filter((p) => p !== '');
  if (globs.length === 0) return () => false;
  // `legacy` and `legacy/` exclude the folder's contents too, as in a .gitignore.
  return picomatch(
    globs.flatMap((g) => [g, `${g}/**`]),
    { dot: true },
  );
}
