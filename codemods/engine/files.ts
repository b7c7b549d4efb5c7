import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { globToRegExp, makeGlobMatcher } from './glob.js';

/** Extensions the engine parses (TypeScript's own parser handles all of them). */
export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;

export function isSourceFile(path: string): boolean {
  return SOURCE_EXTENSIONS.some((ext) => path.endsWith(ext));
}

/** Every file of the repo (repo-relative posix paths), tracked or untracked, minus ignored ones. */
export function listRepoFiles(repoDir: string): string[] {
  const git = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
    cwd: repoDir,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (git.status === 0) return git.stdout.split('\0').filter((p) => p !== '');
  return walk(repoDir);
}

/**
 * Candidate source files: repo files with a source extension, minus node_modules and the
 * manifest's exclude globs. `__testfixtures__` stay candidates only if the repo wants them.
 */
export function listCandidateFiles(repoDir: string, exclude: readonly string[], repoFiles?: readonly string[]): string[] {
  const excluded = makeGlobMatcher(exclude);
  return (repoFiles ?? listRepoFiles(repoDir)).filter(
    (p) => isSourceFile(p) && !p.startsWith('node_modules/') && !p.includes('/node_modules/') && !excluded(p),
  );
}

interface IgnoreRule {
  base: string;
  re: RegExp;
  dirOnly: boolean;
  negate: boolean;
}

/** Walk without git, honouring .gitignore files (anchored, basename, dir-only and `!` rules). */
function walk(root: string): string[] {
  const out: string[] = [];
  const visit = (rel: string, rules: IgnoreRule[]): void => {
    const abs = rel === '' ? root : join(root, rel);
    let local = rules;
    try {
      const gi = readFileSync(join(abs, '.gitignore'), 'utf8');
      local = rules.concat(parseGitignore(gi, rel));
    } catch {
      /* no .gitignore here */
    }
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      if (entry.name === '.git' || entry.name === 'node_modules') continue;
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const isDir = entry.isDirectory();
      if (isIgnored(local, path, isDir)) continue;
      if (isDir) visit(path, local);
      else if (entry.isFile()) out.push(path);
    }
  };
  visit('', []);
  return out.sort();
}

export function parseGitignore(text: string, base: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (let line of text.split(/\r?\n/)) {
    line = line.replace(/\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.slice(0, -1);
    const anchored = line.includes('/');
    line = line.replace(/^\//, '');
    const re = globToRegExp(anchored ? line : `**/${line}`);
    rules.push({ base, re, dirOnly, negate });
  }
  return rules;
}

function isIgnored(rules: IgnoreRule[], path: string, isDir: boolean): boolean {
  let ignored = false;
  for (const r of rules) {
    if (r.dirOnly && !isDir) continue;
    const rel = r.base === '' ? path : path.startsWith(r.base + '/') ? path.slice(r.base.length + 1) : undefined;
    if (rel !== undefined && r.re.test(rel)) ignored = !r.negate;
  }
  return ignored;
}
