/**
 * `import()` of a module the CLI's bundle does not hold: an optional peer (ts-morph, tsx,
 * jscodeshift), a user's custom phase, the app the dashboard runs. The bundle runs as a
 * CommonJS script compiled from a V8 code cache (scripts/bundle.mjs, manifest/ts-load.js
 * loadBundle), and an `import()` expression in such a script has no module loader on Node 20
 * (only behind --experimental-vm-modules); this module is left out of the bundle (an ES module
 * of its own, loaded with require()), so the `import()` below is Node's, resolved from here.
 * Give it a bare package name or an absolute file: URL, never a relative path.
 */
export function importModule<T>(specifier: string): Promise<T> {
  return import(specifier) as Promise<T>;
}
