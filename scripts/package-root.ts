/**
 * Where the toolkit itself lives and which version it is, the same from the TypeScript sources
 * (scripts/) and from the build (dist/scripts/): the nearest package.json named ssot-migrate
 * above this file.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface PackageJson {
  name?: string;
  version?: string;
}

function findPackageRoot(from: string): { root: string; pkg: PackageJson } {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
      if (pkg.name === 'ssot-migrate') return { root: dir, pkg };
    }
    if (path.dirname(dir) === dir) throw new Error(`no package.json named ssot-migrate above ${from}`);
  }
}

const here = fileURLToPath(import.meta.url);
const found = findPackageRoot(path.dirname(here));

/** The toolkit's root folder (holds package.json; in a checkout also the sources and examples/). */
export const PACKAGE_ROOT: string = found.root;
export const VERSION: string = found.pkg.version ?? '0.0.0';

const FROM_DIST = here.startsWith(path.join(PACKAGE_ROOT, 'dist') + path.sep);

/**
 * A file or folder of the toolkit's own by its path in the sources (`canonical`,
 * `scripts/dashboard/assets`): under dist/ when this code runs from the build (the package, the
 * CLI's bundle in dist/bundle/, whose modules are no longer next to their files), else in the
 * checkout's sources.
 */
export const toolkitPath = (rel: string): string => (FROM_DIST ? path.join(PACKAGE_ROOT, 'dist', rel) : path.join(PACKAGE_ROOT, rel));
