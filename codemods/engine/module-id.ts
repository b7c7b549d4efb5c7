import { posix } from 'node:path';

const EXT_RE = /(\.d)?\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/** A module id: repo-relative posix path without extension ("src/ws/manager", "src/ws/index"). */
export function moduleIdOf(path: string): string {
  return normalizeId(path.replace(EXT_RE, ''));
}

// Already-normal paths (every `git ls-files` entry) skip posix.normalize: it ran for each of a
// repo's files on every phase run.
const NEEDS_NORMALIZING = /\\|\/\/|(^|\/)\.\.?(\/|$)|\/$/;

export function normalizeId(path: string): string {
  if (path !== '' && !NEEDS_NORMALIZING.test(path)) return path;
  const n = posix.normalize(path.replace(/\\/g, '/'));
  return n.replace(/^\.\//, '').replace(/\/$/, '');
}

/** "src/ws/index" and "src/ws" name the same importable module. */
export function withoutIndex(id: string): string {
  return id.endsWith('/index') ? id.slice(0, -'/index'.length) : id === 'index' ? '.' : id;
}
