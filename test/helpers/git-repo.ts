/**
 * Real git repositories for tests: write files, `git init`, one commit. The one place the
 * fixtures (runner, review, manifest checks) make a repo, so its identity and branch agree.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
}

/** Writes each repo-relative path's text, creating directories. */
export function writeFiles(repo: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
    writeFileSync(path.join(repo, rel), text);
  }
}

/** `git init` on branch main with a test identity, then commits everything as "initial". */
export function initAndCommit(repo: string): void {
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 'test@example.com');
  git(repo, 'config', 'user.name', 'test');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'initial');
}

/** A new temporary repo (name starting with `prefix`) holding `files` in one commit. */
export function makeGitRepo(prefix: string, files: Record<string, string>): string {
  const repo = mkdtempSync(path.join(os.tmpdir(), prefix));
  writeFiles(repo, files);
  initAndCommit(repo);
  return repo;
}

/** The toolkit checkout the test backends link as their `ssot-migrate` dependency. */
const TOOLKIT = path.resolve(import.meta.dirname, '../..');

/**
 * Writes a test backend's files into `repo` and links this toolkit as its `ssot-migrate`
 * dependency (the backend's own `link-toolkit.sh`, one of its files).
 */
export function writeLinkedBackend(repo: string, files: Record<string, string>): void {
  writeFiles(repo, files);
  execFileSync('bash', [path.join(repo, 'link-toolkit.sh'), TOOLKIT], { stdio: 'ignore' });
}

/** A new temporary repo (name starting with `prefix`) holding a linked test backend in one commit. */
export function makeLinkedBackendRepo(prefix: string, files: Record<string, string>): string {
  const repo = mkdtempSync(path.join(os.tmpdir(), prefix));
  writeLinkedBackend(repo, files);
  initAndCommit(repo);
  return repo;
}
