/**
 * `ssot-migrate` (the package root): the CLI, callable in process — `await main(['run',
 * 'discover', '--repo', dir])` does what `npx ssot-migrate run discover --repo DIR` does and
 * returns its exit code. The runtime APIs are the subpath exports: `ssot-migrate/canonical`,
 * `ssot-migrate/shim`, `ssot-migrate/manifest`.
 */
export { main } from './cli.js';
export { VERSION } from './package-root.js';
export { findRepoRoot, resolveRepo, RepoPathError } from './repo-root.js';
