/**
 * The workspace packages of a monorepo (npm / yarn `workspaces` in the root package.json, pnpm's
 * `pnpm-workspace.yaml`), by name: what a bare `import … from '@scope/pkg'` in another package
 * names. The package manager links them under node_modules, which the tool's resolver never
 * reads (and which may not be installed), so without this a legacy module imported through its
 * package's name is invisible to discover, every phase and remove-shim's gate.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import picomatch from 'picomatch';

/** A workspace package: its folder (repo-relative) and the module its name stands for, when its package.json says. */
export interface WorkspacePackage {
  dir: string;
  /** The entry file its package.json names (`exports['.']`, `types`, `module`, `main`), repo-relative. */
  entry?: string;
}

const SKIP = new Set(['node_modules', '.git']);

/** The patterns the root declares: package.json `workspaces` (a list, or `{ packages }`) and pnpm-workspace.yaml `packages:`. */
export function workspacePatterns(repoDir: string): string[] {
  const out: string[] = [];
  const pkg = readJson(join(repoDir, 'package.json'));
  const ws = pkg?.['workspaces'];
  const list = Array.isArray(ws) ? ws : ws && typeof ws === 'object' && Array.isArray((ws as { packages?: unknown }).packages) ? (ws as { packages: unknown[] }).packages : [];
  for (const p of list) if (typeof p === 'string') out.push(p);
  const yaml = join(repoDir, 'pnpm-workspace.yaml');
  if (existsSync(yaml)) out.push(...pnpmPackages(readFileSync(yaml, 'utf8')));
  return out.map((p) => p.replace(/^\.\//, '').replace(/\/+$/, '')).filter((p) => p !== '' && !p.startsWith('!'));
}

/** `packages:` of a pnpm-workspace.yaml: its `- 'glob'` items (the only key the file's list form needs). */
export function pnpmPackages(text: string): string[] {
  const out: string[] = [];
  let inList = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '');
    if (/^packages\s*:/.test(line)) {
      inList = true;
      continue;
    }
    if (inList && /^\S/.test(line)) inList = false;
    const item = inList ? /^\s*-\s*(['"]?)(.+?)\1\s*$/.exec(line) : null;
    if (item) out.push(item[2]!);
  }
  return out;
}

/** Every workspace package under the repo's patterns, by its package.json `name`. */
export function workspacePackages(repoDir: string): Map<string, WorkspacePackage> {
  const patterns = workspacePatterns(repoDir);
  const out = new Map<string, WorkspacePackage>();
  if (patterns.length === 0) return out;
  const match = picomatch(patterns, { dot: false });
  // walk from each pattern's fixed prefix (`packages/services/*` from `packages/services`)
  const roots = new Set(patterns.map((p) => {
    const segs = p.split('/');
    const glob = segs.findIndex((seg) => /[*?{[!]/.test(seg));
    return (glob === -1 ? segs : segs.slice(0, glob)).join('/');
  }));
  const seen = new Set<string>();
  const walk = (rel: string, depth: number): void => {
    if (seen.has(rel) || depth > 6) return;
    seen.add(rel);
    const abs = join(repoDir, rel);
    if (rel !== '' && match(rel)) {
      const pkg = readJson(join(abs, 'package.json'));
      const name = pkg?.['name'];
      if (typeof name === 'string' && !out.has(name)) {
        const entry = entryOf(repoDir, rel, pkg!);
        out.set(name, entry === undefined ? { dir: rel } : { dir: rel, entry });
      }
    }
    let names: string[];
    try {
      names = readdirSync(abs);
    } catch {
      return;
    }
    for (const n of names) {
      if (SKIP.has(n) || n.startsWith('.')) continue;
      const child = rel === '' ? n : `${rel}/${n}`;
      try {
        if (statSync(join(repoDir, child)).isDirectory()) walk(child, depth + 1);
      } catch {
        /* a dangling link */
      }
    }
  };
  for (const r of roots) walk(r, 0);
  return out;
}

/** The first entry the package.json names that exists: `exports['.']` (types, import, default, require), `types`, `typings`, `module`, `main`. */
function entryOf(repoDir: string, dir: string, pkg: Record<string, unknown>): string | undefined {
  const candidates: unknown[] = [];
  const exp = pkg['exports'];
  const dot = typeof exp === 'string' ? exp : exp && typeof exp === 'object' ? (exp as Record<string, unknown>)['.'] ?? exp : undefined;
  const flatten = (v: unknown): void => {
    if (typeof v === 'string') candidates.push(v);
    else if (v && typeof v === 'object' && !Array.isArray(v)) for (const k of ['types', 'import', 'default', 'require', 'node']) flatten((v as Record<string, unknown>)[k]);
  };
  flatten(dot);
  candidates.push(pkg['types'], pkg['typings'], pkg['module'], pkg['main']);
  for (const c of candidates) {
    if (typeof c !== 'string') continue;
    const file = posix.normalize(posix.join(dir, c));
    if (existsSync(join(repoDir, file))) return file;
  }
  return undefined;
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
