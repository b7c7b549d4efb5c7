/**
 * Remembers a clean commit's verification figures (in the git dir, never in the tree), so the
 * next phase's baseline need not re-run typecheck and tests on a tree they were just run on.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gitDir } from '../git/index.js';
import type { Outcome } from './junit.js';
import type { TreeHealth } from './verify.js';

interface Stored {
  typeErrors: number;
  typecheck: TreeHealth['typecheck'];
  test: TreeHealth['test'];
  testCases?: [string, Outcome][];
}

async function file(repo: string, sha: string, key: string): Promise<string> {
  return path.join(await gitDir(repo), 'ssot-health', `${sha}-${key}.json`);
}

export async function loadHealth(repo: string, sha: string, key: string): Promise<TreeHealth | undefined> {
  const f = await file(repo, sha, key);
  if (!existsSync(f)) return undefined;
  const s = JSON.parse(readFileSync(f, 'utf8')) as Stored;
  return { typeErrors: s.typeErrors, typecheck: s.typecheck, test: s.test, ...(s.testCases ? { testCases: new Map(s.testCases) } : {}) };
}

export async function saveHealth(repo: string, sha: string, key: string, h: TreeHealth): Promise<void> {
  const f = await file(repo, sha, key);
  mkdirSync(path.dirname(f), { recursive: true });
  const s: Stored = { typeErrors: h.typeErrors, typecheck: h.typecheck, test: h.test, ...(h.testCases ? { testCases: [...h.testCases] } : {}) };
  writeFileSync(f, JSON.stringify(s));
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
