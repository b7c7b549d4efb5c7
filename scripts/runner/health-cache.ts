/**
 * Remembers a clean tree's verification figures (in the git dir, never in the tree), keyed by the
 * TREE git records for it: the verify commands read the work tree, which on a clean checkout is
 * that tree whatever commit holds it. So the next phase's baseline, an empty phase commit (its
 * parent's tree), a rollback's revert (the tree the reverted phase started from, measured as its
 * baseline) and any return to a tree measured before need not re-run typecheck and tests.
 * Figures stored by an older version under a COMMIT's sha (`<commit>-<key>.json`) are not read:
 * a tree's file is `tree-<tree>-<key>.json`, so a commit's sha never names one; such a repo
 * measures its HEAD once more, then finds its trees.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SsotManifest } from '../../manifest/types.js';
import { gitDir } from '../git/index.js';
import type { Outcome } from './junit.js';
import type { TreeHealth } from './verify.js';

// What an install changes outside the tree: the packages in node_modules (each entry's name and its
// own lstat: an install adds, removes or replaces entries; a package linked or re-linked by hand is a
// new symlink), the folders an install adds to or removes from, and the install markers npm, pnpm
// and yarn rewrite. A commit's figures measured with other dependencies installed are another
// tree's figures.
const INSTALL_MARKERS = ['node_modules/@types', 'node_modules/.bin', 'node_modules/.package-lock.json', 'node_modules/.modules.yaml', 'node_modules/.yarn-state.yml', 'node_modules/.yarn-integrity'];

// Not an install: the cache folders the verify commands' own tools create in node_modules on their
// first run (vite/vitest: `.vite` for results and deps, `.vite-temp` for the bundled config; others'
// `.cache`). node_modules' own mtime moves when one appears, so it is not part of the key: the
// figures measured before a first `vitest run` would never be found again after it.
const TOOL_CACHES = new Set(['.vite', '.vite-temp', '.vitest', '.cache']);

function stamp(p: string): string {
  try {
    const st = statSync(p, { bigint: true });
    return `${st.mtimeNs}:${st.size}`;
  } catch {
    return '-';
  }
}

function installState(repo: string): string {
  const nm = path.join(repo, 'node_modules');
  let entries: string[];
  try {
    entries = readdirSync(nm).filter((name) => !TOOL_CACHES.has(name)).sort();
  } catch {
    return 'node_modules:-';
  }
  const packages = entries.map((name) => {
    try {
      const st = lstatSync(path.join(nm, name), { bigint: true });
      return `${name}:${st.ino}:${st.mtimeNs}`;
    } catch {
      return `${name}:-`;
    }
  });
  return [...packages, ...INSTALL_MARKERS.map((p) => `${p}:${stamp(path.join(repo, p))}`)].join('\0');
}

/**
 * The cache key of a tree's figures besides the tree: the verify commands and the dependencies
 * installed (a `node_modules` changed by an install since, or types linked in by hand, measures
 * differently).
 */
export function healthKey(repo: string, m: SsotManifest): string {
  return createHash('sha1').update(`${m.verify.typecheck}\0${m.verify.test}\0${m.verify.testReport ?? ''}\0${installState(repo)}`).digest('hex').slice(0, 12);
}

interface Stored {
  typeErrors: number;
  typecheck: TreeHealth['typecheck'];
  test: TreeHealth['test'];
  testCases?: [string, Outcome][];
  noTests?: TreeHealth['noTests'];
}

async function file(repo: string, tree: string, key: string): Promise<string> {
  return path.join(await gitDir(repo), 'ssot-health', `tree-${tree}-${key}.json`);
}

/** The figures measured on `tree` (a tree's sha: treeOf, stagedTree) under `key`, when there are. */
export async function loadHealth(repo: string, tree: string, key: string): Promise<TreeHealth | undefined> {
  const f = await file(repo, tree, key);
  if (!existsSync(f)) return undefined;
  let s: Stored;
  try {
    s = JSON.parse(readFileSync(f, 'utf8')) as Stored;
  } catch {
    // cut short (an older version killed while writing it): not a figure; measured again and rewritten
    return undefined;
  }
  if (typeof s?.typeErrors !== 'number' || !s.typecheck || !s.test) return undefined;
  return { typeErrors: s.typeErrors, typecheck: s.typecheck, test: s.test, ...(s.testCases ? { testCases: new Map(s.testCases) } : {}), ...(s.noTests ? { noTests: s.noTests } : {}) };
}

/** Records `h` as measured on a clean work tree holding `tree`. */
export async function saveHealth(repo: string, tree: string, key: string, h: TreeHealth): Promise<void> {
  const f = await file(repo, tree, key);
  mkdirSync(path.dirname(f), { recursive: true });
  const s: Stored = { typeErrors: h.typeErrors, typecheck: h.typecheck, test: h.test, ...(h.testCases ? { testCases: [...h.testCases] } : {}), ...(h.noTests ? { noTests: h.noTests } : {}) };
  // through a temp file and rename: a kill in the middle leaves the old file or none, never half of one
  const tmp = `${f}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(s));
  renameSync(tmp, f);
}
