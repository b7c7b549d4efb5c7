/**
 * The one git module: every git call the runner, rollback, status and review make, through
 * execFile (arguments as a list: no shell, no quoting). Failures are GitError with git's output.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseCommitMessage, type CommitMessage } from './message.js';

const run = promisify(execFile);

export class GitError extends Error {
  constructor(message: string, readonly output: string) {
    super(message);
    this.name = 'GitError';
  }
}

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function exec(repo: string, args: readonly string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await run('git', [...args], { cwd: repo, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
    if (typeof e.code !== 'number') throw new GitError(`git ${args.slice(0, 2).join(' ')} in ${repo} could not run: ${e.message}`, '');
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Runs git; a non-zero exit is a GitError naming the command and git's output. */
export async function git(repo: string, args: readonly string[]): Promise<string> {
  const r = await exec(repo, args);
  if (r.code !== 0) throw new GitError(`git ${args.slice(0, 3).join(' ')} failed in ${repo} (exit ${r.code}): ${(r.stderr || r.stdout).trim().split('\n')[0] ?? ''}`, r.stderr + r.stdout);
  return r.stdout;
}

export async function isGitRepo(repo: string): Promise<boolean> {
  const r = await exec(repo, ['rev-parse', '--is-inside-work-tree']).catch(() => undefined);
  return r?.code === 0 && r.stdout.trim() === 'true';
}

/** Porcelain status paths, minus paths the caller expects to appear (e.g. a test report). */
export async function dirtyPaths(repo: string, ignore: readonly string[] = []): Promise<string[]> {
  const out = await git(repo, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  return out
    .split('\0')
    .filter(Boolean)
    .map((l) => l.slice(3))
    .filter((p) => !ignore.includes(p));
}

export async function head(repo: string): Promise<string | undefined> {
  const r = await exec(repo, ['rev-parse', '--verify', '-q', 'HEAD']);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** The commit a ref names, or undefined. */
export async function resolveCommit(repo: string, ref: string): Promise<string | undefined> {
  const r = await exec(repo, ['rev-parse', '--verify', '-q', `${ref}^{commit}`]);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/**
 * Commits exactly the listed paths (none: an empty commit that records a phase which found
 * nothing to change). On failure the index is put back, so the caller can restore the files.
 */
export async function commitPaths(repo: string, paths: readonly string[], message: string): Promise<string> {
  try {
    // -A on the listed paths stages additions, edits and deletions alike.
    for (let i = 0; i < paths.length; i += 500) await git(repo, ['add', '-A', '--', ...paths.slice(i, i + 500)]);
    await git(repo, ['commit', '-q', '--no-verify', '--allow-empty', '-m', message]);
  } catch (err) {
    if (paths.length) await exec(repo, ['reset', '-q', '--', ...paths]);
    throw err;
  }
  return (await head(repo))!;
}

/** Commits what is staged (a revert stages its own changes). */
export async function commitStaged(repo: string, message: string): Promise<string> {
  await git(repo, ['commit', '-q', '--no-verify', '--allow-empty', '-m', message]);
  return (await head(repo))!;
}

export async function revertNoCommit(repo: string, sha: string): Promise<void> {
  await git(repo, ['revert', '--no-commit', '--no-edit', sha]);
}

/** The paths a commit changes (both sides of a rename), repo-relative. */
export async function commitFiles(repo: string, sha: string): Promise<string[]> {
  const out = await git(repo, ['show', '--format=', '--name-only', '--no-renames', '-z', sha]);
  return out.split('\0').filter(Boolean);
}

export async function abortRevert(repo: string): Promise<void> {
  await exec(repo, ['revert', '--abort']);
  await exec(repo, ['reset', '-q', '--hard', 'HEAD']);
}

export async function gitDir(repo: string): Promise<string> {
  return (await git(repo, ['rev-parse', '--absolute-git-dir'])).trim();
}

export interface LogEntry extends CommitMessage {
  sha: string;
}

/** Commits reachable from HEAD, oldest first, each message parsed by the one message module. */
export async function commitLog(repo: string): Promise<LogEntry[]> {
  if (!(await head(repo))) return [];
  const out = await git(repo, ['log', '--reverse', '--format=%H%x1f%B%x1e']);
  return out
    .split('\x1e')
    .map((rec) => rec.replace(/^\n/, ''))
    .filter((rec) => rec.trim() !== '')
    .map((rec) => {
      const at = rec.indexOf('\x1f');
      return { sha: rec.slice(0, at), ...parseCommitMessage(rec.slice(at + 1)) };
    });
}

export async function readCommit(repo: string, sha: string): Promise<LogEntry> {
  const out = await git(repo, ['show', '-s', '--format=%H%x1f%B', sha]);
  const at = out.indexOf('\x1f');
  return { sha: out.slice(0, at).trim(), ...parseCommitMessage(out.slice(at + 1)) };
}

/** The commit's change against its first parent (the whole tree for a root commit), renames detected. */
export function commitDiff(repo: string, sha: string): Promise<string> {
  return git(repo, ['show', '--format=', '--no-color', '--no-ext-diff', '--diff-merges=first-parent', '-M', '--unified=3', sha]);
}
