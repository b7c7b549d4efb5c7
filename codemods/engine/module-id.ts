import { posix } from 'node:path';

const EXT_RE = /(\.d)?\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/** A module id: repo-relative posix path without extension ("src/ws/manager", "src/ws/index"). */
export function moduleIdOf(path: string): string {
  return normalizeId(path.replace(EXT_RE, ''));
}

export function normalizeId(path: string): string {
  const n = posix.normalize(path.replace(/\\/g, '/'));
  return n.replace(/^\.\//, '').replace(/\/$/, '');
}

/** "src/ws/index" and "src/ws" name the same importable module. */
export function withoutIndex(id: string): string {
  return id.endsWith('/index') ? id.slice(0, -'/index'.length) : id === 'index' ? '.' : id;
}
