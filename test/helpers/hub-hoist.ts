/**
 * A rewritten file read as if each `hubOperations()` call were written at its use: remove-adapters
 * hoists one `const hub = hubOperations()` above a stretch of uses (codemods/remove-adapters/hoist-hub.ts),
 * so the end-to-end tests that quote a template's rewrite compare that form. Only names such a line
 * declares are read back (an app's own `hub` stays as it is).
 */
export function unhoisted(text: string): string {
  const names = [...text.matchAll(/^[ \t]*const (hub\d*) = hubOperations\(\);?\r?\n/gm)].map((m) => m[1]!);
  let out = text.replace(/^[ \t]*const hub\d* = hubOperations\(\);?\r?\n/gm, '');
  for (const name of new Set(names)) out = out.replace(new RegExp(`(?<![.\\w$])${name}\\.`, 'g'), 'hubOperations().');
  return out;
}
