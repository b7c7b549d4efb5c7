/** The git operations the phase runner needs, through zx so quoting is never hand-rolled. */
import { $ } from 'zx';

function git(repo: string) {
  return $({ cwd: repo, quiet: true, nothrow: true });
}

export class GitError extends Error {
  constructor(message: string, readonly output: string) {
    super(message);
    this.name = 'GitError';
  }
}

async function must(repo: string, args: string[]): Promise<string> {
  const r = await git(repo)`git ${args}`;
  if (r.exitCode !== 0) throw new GitError(`git ${args.join(' ')} failed (exit ${r.exitCode})`, r.stderr + r.stdout);
  return r.stdout;
}

export async function isGitRepo(repo: string): Promise<boolean> {
  const r = await git(repo)`git rev-parse --is-inside-work-tree`;
  return r.exitCode === 0 && r.stdout.trim() === 'true';
}

/** Porcelain status lines, minus paths the caller says are expected to appear (e.g. a test report). */
export async function dirtyPaths(repo: string, ignore: string[] = []): Promise<string[]> {
  const out = await must(repo, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  return out
    .split('\0')
    .filter(Boolean)
    .map((l) => l.slice(3))
    .filter((p) => !ignore.includes(p));
}

export async function head(repo: string): Promise<string | undefined> {
  const r = await git(repo)`git rev-parse --verify -q HEAD`;
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

/**
 * Commits exactly the listed paths (none: an empty commit that records a phase which found
 * nothing to change). On failure the index is put back, so the caller can restore the files.
 */
export async function commitPaths(repo: string, paths: string[], message: string): Promise<string> {
  try {
    // -A on the listed paths stages additions, edits and deletions alike.
    for (let i = 0; i < paths.length; i += 500) await must(repo, ['add', '-A', '--', ...paths.slice(i, i + 500)]);
    await must(repo, ['commit', '-q', '--no-verify', '--allow-empty', '-m', message]);
  } catch (err) {
    if (paths.length) await git(repo)`git reset -q -- ${paths}`;
    throw err;
  }
  return (await head(repo))!;
}

/** Commits what is staged (a revert stages its own changes). */
export async function commitStaged(repo: string, message: string): Promise<string> {
  await must(repo, ['commit', '-q', '--no-verify', '--allow-empty', '-m', message]);
  return (await head(repo))!;
}

export interface LogEntry {
  sha: string;
  subject: string;
  trailers: Record<string, string>;
}

/** Commits reachable from HEAD, oldest first, with their SSOT-* trailers parsed. */
export async function ssotLog(repo: string): Promise<LogEntry[]> {
  if (!(await head(repo))) return [];
  const out = await must(repo, ['log', '--reverse', '--format=%H%x1f%s%x1f%(trailers:only,unfold)%x1e']);
  return out
    .split('\x1e')
    .map((rec) => rec.trim())
    .filter(Boolean)
    .map((rec) => {
      const [sha = '', subject = '', trailerText = ''] = rec.split('\x1f');
      const trailers: Record<string, string> = {};
      for (const line of trailerText.split('\n')) {
        const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line.trim());
        if (m) trailers[m[1]!] = m[2]!;
      }
      return { sha, subject, trailers };
    });
}

export async function revertNoCommit(repo: string, sha: string): Promise<void> {
  await must(repo, ['revert', '--no-commit', '--no-edit', sha]);
}

export async function abortRevert(repo: string): Promise<void> {
  await git(repo)`git revert --abort`;
  await git(repo)`git reset -q --hard HEAD`;
}

export async function changedInCommit(repo: string, sha: string): Promise<string[]> {
  const out = await must(repo, ['show', '--name-only', '--format=', '-z', sha]);
  return out.split('\0').filter(Boolean);
}


export async function gitDir(repo: string): Promise<string> {
  return (await must(repo, ['rev-parse', '--absolute-git-dir'])).trim();
}
