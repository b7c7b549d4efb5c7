/**
 * vitest global setup: the scratch copies of the example app (and the pack test) import
 * `ssot-migrate/*` through the package's exports, i.e. the compiled dist/ — as an installed
 * package does — so dist/ is rebuilt first when any source is newer (a no-op check otherwise).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '../..');
  const r = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`building dist/ failed (exit ${r.status ?? r.signal})`);
}
