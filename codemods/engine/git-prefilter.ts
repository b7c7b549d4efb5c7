/**
 * A syntax transform's text prefilter run by git instead of by reading every file in Node: `git
 * grep` (native, multi-threaded, on the other cores) lists the tracked files that contain a
 * prefilter token, so the engine reads and parses only those and reports the rest unchanged
 * without reading them. At 5% affected that is the whole read of the 20,000-file bench tree
 * (~0.3 s of a reading thread's CPU and its start, plus the main thread's own reads) moved to a
 * process that reads faster (bench/codemods.ts).
 *
 * git can vouch for a file only where its grep reads what the engine's read would
 * (engine/source-text.js readSourceText: the file's bytes as UTF-8, symlinks followed). So:
 * - the pattern also matches every byte >= 0x80: a file that is not plain ASCII (not valid UTF-8,
 *   a BOM, any non-ASCII text) is always read by the engine, which decides it as before; for a
 *   plain-ASCII file, containing a token as bytes is containing it as text;
 * - only an index entry `H` (tracked, in the work tree, not assume-unchanged or skip-worktree,
 *   whose grep reads the index blob instead), a regular file (mode 100644/100755: git does not
 *   follow a symlink), not intent-to-add (its index blob is the empty one) and not deleted is
 *   judged by git: every other candidate (untracked, a symlink, a submodule, unmerged, deleted)
 *   is read by the engine (`git ls-files -t -v -s -d -o`: the index listing, see GitPrefilter);
 * - anything on git's stderr, an exit code other than 0 (matches) or 1 (none), no PCRE in this
 *   git (`-P`), or no git at all: git vouches for nothing, and the engine reads every file it
 *   has not handled yet, as before.
 * The texts git lists are read and prefiltered by the engine again (a non-ASCII file without a
 * token is filtered there), so a file's report never depends on which side read it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { gitToFile, type GitRun } from './git-output.js';

/** `H` entries' modes git's grep reads from the work tree as they are (a symlink it does not follow). */
const REGULAR = /^H 100(?:644|755) /;
/** Intent-to-add entries (`git add -N`) hold the empty blob (SHA-1 and SHA-256 repositories). */
const EMPTY_BLOBS = [' e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 ', ' 473a0f4c3be8a93681a267e3b1e9a7dcda1185436fe141f7749120a303721813 '];

/** PCRE: each ASCII token literal (punctuation escaped), then any byte >= 0x80 (git runs in the C locale: no UTF mode, so bytes). */
export function grepPattern(tokens: readonly string[]): string {
  const ascii = tokens.filter((t) => /^[\x20-\x7e]+$/.test(t)).map((t) => t.replace(/[^A-Za-z0-9_]/g, '\\$&'));
  // a non-ASCII token is in a non-ASCII file, which the byte class lists anyway
  return [...ascii, '[\\x80-\\xff]'].join('|');
}

/**
 * The index listing: each index entry with its tag (`-t`; lower case when assume-unchanged: `-v`),
 * mode, object and stage (`-s`), each deleted one again as `R` (`-d`), and the untracked files
 * as `? path` (`-o --exclude-standard`), NUL-separated.
 */
export const INDEX_LISTING = ['ls-files', '-z', '-t', '-v', '-s', '-d', '-o', '--exclude-standard'];

/** An index listing entry's path: `? path` (untracked) as it is; an index entry's after its first tab (`T mode object stage\tpath`). */
const pathOf = (entry: string): string => (entry.startsWith('? ') ? entry.slice(2) : entry.slice(entry.indexOf('\t') + 1));

/** The candidates git may judge, from the index listing (INDEX_LISTING): the ones it may not. */
export function gitExceptions(listing: string): Set<string> {
  const out = new Set<string>();
  for (const entry of listing.split('\0')) {
    if (entry === '') continue;
    // a deleted file is listed twice, `H` then `R`: the `R` entry makes it an exception
    if (REGULAR.test(entry) && !EMPTY_BLOBS.some((b) => entry.includes(b))) continue;
    out.add(pathOf(entry));
  }
  return out;
}

/**
 * The repo's files from the index listing (INDEX_LISTING), as `git ls-files -co --exclude-standard`
 * (engine/files.ts listRepoFiles) lists them, in its order: the untracked ones, then every index
 * entry (an unmerged path once per stage), a deleted file's second (`R`) entry left out. One git
 * process lists the repo for the snapshot and for the prefilter.
 */
export function listedRepoFiles(listing: string): string[] {
  const out: string[] = [];
  for (const entry of listing.split('\0')) {
    if (entry === '' || entry.startsWith('R ') || entry.startsWith('r ')) continue;
    out.push(pathOf(entry));
  }
  return out;
}

/** The C locale: PCRE matches bytes (no UTF mode that would refuse a file that is not UTF-8). */
const gitEnv = (): NodeJS.ProcessEnv => ({ ...process.env, LC_ALL: 'C' });

interface Child {
  proc: ChildProcess;
  done: Promise<GitRun>;
}

/** git's grep, its list of files handed to `onData` as it comes. */
function runGrep(repoDir: string, args: string[], onData: (chunk: string) => void): Child {
  const proc = spawn('git', args, { cwd: repoDir, env: gitEnv(), stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  const done = new Promise<GitRun>((resolve) => {
    let stderr = '';
    proc.stdout!.setEncoding('utf8');
    proc.stderr!.setEncoding('utf8');
    proc.stderr!.on('data', (d: string) => (stderr += d));
    proc.stdout!.on('data', onData);
    proc.on('error', (err) => resolve({ code: null, stderr: String(err) }));
    proc.on('close', (code) => resolve({ code, stderr }));
  });
  return { proc, done };
}

/** The files git's grep could not vouch for, once it has ended (undefined: none it could). */
export type GitExceptions = Set<string> | undefined;

/**
 * git grep over the repo for `tokens` (and any byte >= 0x80), started when a snapshot is opened
 * for a phase that will prefilter with them (engine/run.ts runSyntaxPhase), so git reads the
 * tree on the other core while this thread loads the manifest, TypeScript and the context; the
 * run then takes the files git lists as they arrive (`listed`, `wait`), and `outcome` once it
 * has ended. Stops itself (killed) once it lists more than `maxMatches` files: a run with that
 * many to parse reads every file anyway (engine/run.ts), where git's reading would only add CPU.
 *
 * The index listing (INDEX_LISTING) starts with it and also gives the snapshot the repo's files
 * (`repoFiles`), in place of the `git ls-files -co` it ran otherwise: one process, one walk of the
 * work tree for untracked files, one read of the index. Started after the grep instead (as it was),
 * it ran beside the parse of the grep's matches, on the core V8's compiler threads use, and its
 * ~1.9 MB of output was read between parse slices; with the snapshot's own listing besides, that
 * was two git processes more per run (the bench's 5% tree, each alone under chrt: `ls-files -co`
 * ~90 ms, the index listing ~180 ms, each walking the tree). Its output goes to a file
 * (engine/git-output.ts), so it runs to its end while this thread loads TypeScript.
 */
export class GitPrefilter {
  /** The files git has listed so far (repo-relative, in its order). */
  readonly listed: string[] = [];
  /** git's grep has exited (or was stopped): `listed` is complete. */
  ended = false;
  /** The index listing has exited too: `outcome` answers at once. Until then the run yields between parse slices, so the grep's output keeps flowing (a full pipe stalls it). */
  settled = false;
  private partial = '';
  private readonly grep: Child;
  /** The index listing, read once git has exited (engine/git-output.ts: a file, not a pipe that would stall it while this thread is busy). */
  private readonly listing: Promise<GitRun>;
  /** Stopped (too many matches, or nobody will ask): git vouches for nothing. */
  stopped = false;
  private wake: (() => void) | undefined;
  private result: Promise<GitExceptions> | undefined;

  constructor(
    repoDir: string,
    readonly tokens: readonly string[],
    private readonly maxMatches: number,
  ) {
    // the listing first: the snapshot's open waits for it (repoFiles), while the run takes the grep's matches as they come
    this.listing = gitToFile(repoDir, INDEX_LISTING, gitEnv());
    this.grep = runGrep(repoDir, ['grep', '--no-color', '--no-recurse-submodules', '-z', '-l', '--text', '-P', '-e', grepPattern(tokens), '--'], (d) => this.take(d));
    void this.grep.done.then(() => {
      this.ended = true;
      this.notify();
    });
    void Promise.all([this.grep.done, this.listing]).then(() => (this.settled = true));
  }

  /** The repo's files as `git ls-files -co --exclude-standard` lists them (listedRepoFiles), or undefined when the listing failed (no git, not a work tree). */
  async repoFiles(): Promise<string[] | undefined> {
    const l = await this.listing;
    return l.code === 0 && l.stdout !== undefined ? listedRepoFiles(l.stdout) : undefined;
  }

  /** Whether a file holding one of `tokens` holds one of this grep's tokens (each contains one of them): the grep's list then covers theirs. */
  covers(tokens: readonly string[]): boolean {
    return !tokens.includes('') && tokens.every((t) => this.tokens.some((own) => t.includes(own)));
  }

  /** Resolves when git lists more or ends (at once if it has ended). */
  wait(): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve) => (this.wake = resolve));
  }

  /** Once git has ended: the candidates it could not vouch for, or undefined when it vouches for none (an error, stderr, no PCRE, no git, more than maxMatches). */
  outcome(): Promise<GitExceptions> {
    this.result ??= Promise.all([this.grep.done, this.listing]).then(([g, l]) => {
      if (this.stopped || (g.code !== 0 && g.code !== 1) || g.stderr !== '' || this.partial !== '') return undefined;
      if (l.code !== 0 || l.stderr !== '' || l.stdout === undefined) return undefined;
      return gitExceptions(l.stdout);
    });
    return this.result;
  }

  /** Ends the grep (nobody will ask, or too many matches); the index listing runs on: it is the snapshot's list of files (repoFiles). */
  stop(): void {
    this.stopped = true;
    this.grep.proc.kill();
    this.ended = true;
    this.notify();
  }

  private take(d: string): void {
    if (this.stopped) return;
    const parts = (this.partial + d).split('\0');
    this.partial = parts.pop()!;
    for (const p of parts) this.listed.push(p);
    if (this.listed.length > this.maxMatches) this.stop();
    else this.notify();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}
