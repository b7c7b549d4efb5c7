/**
 * jscodeshift is an optional peer dependency: only phases that run a team's own jscodeshift
 * transform need it, and most installs should not carry it (with Babel under it). It is
 * loaded on first use — from the target repository first (the team's transforms are written
 * against the team's jscodeshift), else from wherever ssot-migrate is installed — and its
 * absence is a clear error that says how to install it.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JSCodeshift } from 'jscodeshift';
import { importModule } from './dynamic-import.js';

export const JSCODESHIFT_RANGE = '^17.0.0';

export class MissingPeerDependencyError extends Error {
  readonly code = 'ERR_SSOT_MISSING_PEER';
}

/** Where jscodeshift is looked up: the repo (as if required from its root), then this package. */
function searchFrom(repoDir: string | undefined): string[] {
  return [...(repoDir ? [path.join(path.resolve(repoDir), 'package.json')] : []), import.meta.url];
}

export function resolveJscodeshift(repoDir?: string, from: readonly string[] = searchFrom(repoDir)): string | undefined {
  for (const base of from) {
    try {
      return createRequire(base).resolve('jscodeshift');
    } catch {
      /* not there: try the next place */
    }
  }
  return undefined;
}

/** One load per resolved file: two repos may bring two jscodeshift versions. */
const loaded = new Map<string, Promise<JSCodeshift>>();

/** jscodeshift's API (the `j` of a transform), or MissingPeerDependencyError naming the install command. */
export function loadJscodeshift(repoDir?: string, from?: readonly string[]): Promise<JSCodeshift> {
  const file = resolveJscodeshift(repoDir, from);
  if (file === undefined) {
    return Promise.reject(
      new MissingPeerDependencyError(
        `this phase runs a jscodeshift transform and jscodeshift is not installed (an optional peer dependency of ssot-migrate). ` +
          `Install it in the repository: npm install --save-dev jscodeshift@${JSCODESHIFT_RANGE}`,
      ),
    );
  }
  let api = loaded.get(file);
  if (!api) {
    api = importModule<{ default: JSCodeshift }>(pathToFileURL(file).href).then((m: { default: JSCodeshift }) => m.default);
    loaded.set(file, api);
  }
  return api;
}
