/**
 * Remembers a clean commit's verification figures (in the git dir, never in the tree), so the
 * next phase's baseline need not re-run typecheck and tests on a tree they were just run on.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SsotManifest } from '../../manifest/types.js';
import { gitDir } from '../git/index.js';
import type { Outcome } from './junit.js';
import type { TreeHealth } from './verify.js';

// What an install changes outside the tree: the folders an install adds to or removes from, and
// the install markers npm, pnpm and yarn rewrite. A commit's figures measured with other
// dependencies installed are another tree's figures.
const INSTALL_MARKERS = ['node_modules', 'node_modules/@types', 'node_modules/.package-lock.json', 'node_modules/.modules.yaml', 'node_modules/.yarn-state.yml', 'node_modules/.yarn-integrity'];

function installState(repo: string): string {
  return INSTALL_MARKERS.map((p) => {
    try {
      const st = statSync(path.join(repo, p), { bigint: true });
      return `${p}:${st.mtimeNs}:${st.size}`;
    } catch {
      return `${p}:-`;
    }
  }).join('\0');
}

/**
 * The cache key of a commit's figures: the verify commands and the dependencies installed (a
 * `node_modules` changed by an install since, or types linked in by hand, measures differently).
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

async function file(repo: string, sha: string, key: string): Promise<string> {
  return path.join(await gitDir(repo), 'ssot-health', `${sha}-${key}.json`);
}

export async function loadHealth(repo: string, sha: string, key: string): Promise<TreeHealth | undefined> {
  const f = await file(repo, sha, key);
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

export async function saveHealth(repo: string, sha: string, key: string, h: TreeHealth): Promise<void> {
  const f = await file(repo, sha, key);
  mkdirSync(path.dirname(f), { recursive: true });
  const s: Stored = { typeErrors: h.typeErrors, typecheck: h.typecheck, test: h.test, ...(h.testCases ? { testCases: [...h.testCases] } : {}), ...(h.noTests ? { noTests: h.noTests } : {}) };
  // through a temp file and rename: a kill in the middle leaves the old file or none, never half of one
  const tmp = `${f}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(s));
  renameSync(tmp, f);
}

/**
 * Records for `sha` the health cached for `parent` (when there is one): for a commit whose tree is
 * its parent's (an empty phase commit), which nothing re-measures. Returns whether it did.
 */
export async function inheritHealth(repo: string, parent: string, sha: string, key: string): Promise<boolean> {
  const h = await loadHealth(repo, parent, key);
  if (!h) return false;
  await saveHealth(repo, sha, key, h);
  return true;
}
