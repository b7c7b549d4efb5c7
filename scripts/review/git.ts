/** Read-only git access for review: resolve a phase name or commit, read its message and diff. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PHASES } from '../../manifest/types.js';

const run = promisify(execFile);

export class ReviewError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReviewError';
  }
}

async function git(repo: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd: repo, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new ReviewError(`git ${args.slice(0, 2).join(' ')} in ${repo} failed: ${(e.stderr || e.message).trim()}`);
  }
}

export interface CommitInfo {
  sha: string;
  subject: string;
  /** The whole message. */
  message: string;
  trailers: Record<string, string>;
}

export interface ResolvedTarget {
  commit: CommitInfo;
  /** The phase asked for, when the argument was a phase name. */
  phase?: string;
  /** A later commit whose SSOT-Rollback trailer reverted this phase, if any. */
  rolledBackBy?: string;
}

function parseTrailers(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

export async function readCommit(repo: string, sha: string): Promise<CommitInfo> {
  const out = await git(repo, ['show', '-s', '--format=%H%x1f%s%x1f%B%x1f%(trailers:only,unfold)', sha]);
  const [full = '', subject = '', message = '', trailers = ''] = out.split('\x1f');
  return { sha: full.trim(), subject, message: message.trimEnd(), trailers: parseTrailers(trailers) };
}

/** Commits with SSOT trailers, newest first. */
async function ssotCommits(repo: string): Promise<Array<{ sha: string; trailers: Record<string, string> }>> {
  const out = await git(repo, ['log', '--format=%H%x1f%(trailers:only,unfold)%x1e', 'HEAD']);
  return out
    .split('\x1e')
    .map((r) => r.trim())
    .filter(Boolean)
    .map((r) => {
      const [sha = '', t = ''] = r.split('\x1f');
      return { sha, trailers: parseTrailers(t) };
    });
}

/**
 * A phase name resolves to the latest commit carrying `SSOT-Phase: <name>`; anything else must
 * name a commit. Errors say what exists, so a typo is easy to fix.
 */
export async function resolveTarget(repo: string, ref: string): Promise<ResolvedTarget> {
  const inside = await git(repo, ['rev-parse', '--is-inside-work-tree']).catch(() => '');
  if (inside.trim() !== 'true') throw new ReviewError(`${repo} is not a git work tree`);
  const isPhase = (PHASES as readonly string[]).includes(ref);
  if (isPhase) {
    const log = await ssotCommits(repo);
    const index = log.findIndex((c) => c.trailers['SSOT-Phase'] === ref);
    if (index < 0) {
      const phases = [...new Set(log.map((c) => c.trailers['SSOT-Phase']).filter(Boolean))];
      throw new ReviewError(`no commit with "SSOT-Phase: ${ref}" in ${repo} (phases committed: ${phases.length ? phases.join(', ') : 'none'})`);
    }
    const rollback = log.slice(0, index).find((c) => c.trailers['SSOT-Rollback'] === ref);
    const target: ResolvedTarget = { commit: await readCommit(repo, log[index]!.sha), phase: ref };
    if (rollback) target.rolledBackBy = rollback.sha;
    return target;
  }
  let sha: string;
  try {
    sha = (await git(repo, ['rev-parse', '--verify', '-q', `${ref}^{commit}`])).trim();
  } catch {
    throw new ReviewError(`"${ref}" is neither a phase (${PHASES.join(', ')}) nor a commit in ${repo}`);
  }
  const commit = await readCommit(repo, sha);
  const target: ResolvedTarget = { commit };
  const phase = commit.trailers['SSOT-Phase'];
  if (phase) target.phase = phase;
  return target;
}

/** The commit's change against its first parent (the whole tree for a root commit), renames detected. */
export function commitDiff(repo: string, sha: string): Promise<string> {
  return git(repo, ['show', '--format=', '--no-color', '--no-ext-diff', '--diff-merges=first-parent', '-M', '--unified=3', sha]);
}
