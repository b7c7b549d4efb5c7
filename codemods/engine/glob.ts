/**
 * Minimal glob matching for manifest `exclude` patterns and .gitignore lines:
 * `**` (any depth), `*` and `?` (within a segment), `{a,b}` alternatives.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        re += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const close = glob.indexOf('}', i);
      if (close === -1) re += '\\{';
      else {
        re += '(?:' + glob.slice(i + 1, close).split(',').map(escape).join('|') + ')';
        i = close;
      }
    } else re += escape(c);
  }
  return new RegExp('^' + re + '$');
}

function escape(s: string): string {
  return s.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

/** A matcher for repo-relative posix paths; a pattern also matches everything under a matching directory. */
export function makeGlobMatcher(patterns: readonly string[]): (path: string) => boolean {
  const res = patterns.map((p) => globToRegExp(p.replace(/^\.\//, '').replace(/\/$/, '')));
  if (res.length === 0) return () => false;
  return (path) => {
    for (const re of res) {
      if (re.test(path)) return true;
      // a directory pattern excludes its contents
      for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) if (re.test(path.slice(0, i))) return true;
    }
    return false;
  };
}
