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

const found = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

/** The toolkit's root folder (holds package.json; in a checkout also the sources and examples/). */
export const PACKAGE_ROOT: string = found.root;
export const VERSION: string = found.pkg.version ?? '0.0.0';
