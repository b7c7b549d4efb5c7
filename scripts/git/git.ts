/**
 * The one git module: every git call the runner, rollback, status and review make, through
 * spawn (arguments as a list: no shell, no quoting; long input such as a commit message through
 * stdin, never the command line). Failures are GitError naming the command, exit code and stderr.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ledgerMarks, parseCommitMessage, parsePhaseReport, REPORT_NOTES_REF, reportOutputs, TRAILER, type CommitMessage, type FileOutput, type PhaseReport } from './message.js';

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

/** `git a b c` for messages: every argument, long ones and long lists shortened. */
function describe(args: readonly string[]): string {
  const shown = args.slice(0, 8).map((a) => (a.length > 80 ? `${a.slice(0, 77)}...` : a));
  return `git ${shown.join(' ')}${args.length > 8 ? ` ... (${args.length} arguments)` : ''}`;
}

/** Told of every git child this module starts (its pid and arguments); what it returns is called when that child is gone. */
export type GitSpawnObserver = (pid: number, args: readonly string[]) => () => void;
let spawnObserver: GitSpawnObserver | undefined;

/**
 * Sets (or, with undefined, clears) the one observer of git children: the runner records their pids
 * in the git dir while an operation holds the repository, so that after a kill it can tell, without
 * /proc, whether the git that left a lock file is gone (runner/git-children.ts).
 */
export function observeGitSpawns(observer: GitSpawnObserver | undefined): void {
  spawnObserver = observer;
}

/**
 * Told of every synchronous git call (gitSync) before it starts: returns the file the call's
 * pid is to be written to, and what to call once it has ended. A synchronous call blocks the
 * thread until git exits, so its pid is never known in time to record it the way `exec` does.
 */
export type SyncGitObserver = (args: readonly string[]) => { pidFile: string; done(): void } | undefined;
let syncObserver: SyncGitObserver | undefined;

/** Sets (or clears) the one observer of synchronous git calls (runner/git-children.ts). */
export function observeSyncGits(observer: SyncGitObserver | undefined): void {
  syncObserver = observer;
}

/**
 * git, synchronously — for the signal path and `recover`, which must not let other code run in
 * between. Observed (observeSyncGits), git starts through `sh`, which writes its own pid (`exec`
 * keeps it for git) to the observer's file first: a SIGKILL of this process leaves that pid
 * behind, the way `exec`'s gits are recorded, so a lock file git left can be attributed without
 * /proc. A pid that could not be written does not stop git (`;`, not `&&`). Failures are GitError.
 */
export function gitSync(repo: string, args: readonly string[], opts: { stderr?: 'pipe' | 'ignore' } = {}): string {
  const seen = process.platform === 'win32' ? undefined : syncObserver?.(args);
  const options = { cwd: repo, encoding: 'utf8' as const, stdio: ['ignore', 'pipe', opts.stderr ?? 'pipe'] as ['ignore', 'pipe', 'pipe' | 'ignore'], maxBuffer: 1 << 30 };
  try {
    if (!seen) return execFileSync('git', [...args], options);
    return execFileSync('/bin/sh', ['-c', 'echo $$ > "$0" 2>/dev/null; exec git "$@"', seen.pidFile, ...args], options);
  } catch (err) {
    const e = err as { status?: number | null; stderr?: string; message: string };
    const said = (e.stderr ?? '').trim().split('\n').slice(0, 20).join('\n');
    throw new GitError(`\`${describe(args)}\` failed in ${repo} (${e.status != null ? `exit ${e.status}` : e.message})${said ? `: ${said}` : ''}`, e.stderr ?? '');
  } finally {
    seen?.done();
  }
}

function exec(repo: string, args: readonly string[], input?: string, env?: NodeJS.ProcessEnv): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...args], { cwd: repo, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], ...(env ? { env } : {}) });
    const gone = child.pid !== undefined ? spawnObserver?.(child.pid, args) : undefined;
    if (gone) child.on('exit', gone).on('error', gone);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new GitError(`${describe(args)} in ${repo} could not run: ${e.message}`, '')));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    if (input !== undefined) {
      child.stdin!.on('error', () => {}); // git may exit before reading it all: its exit code and stderr say why
      child.stdin!.end(input);
    }
  });
}

/** Runs git (optionally with stdin); a non-zero exit is a GitError naming the command, exit code and stderr. */
export async function git(repo: string, args: readonly string[], input?: string): Promise<string> {
  const r = await exec(repo, args, input);
  if (r.code !== 0) {
    const said = (r.stderr || r.stdout).trim().split('\n').slice(0, 20).join('\n');
    throw new GitError(`\`${describe(args)}\` failed in ${repo} (exit ${r.code})${said ? `: ${said}` : ''}`, r.stderr + r.stdout);
  }
  return r.stdout;
}

/**
 * Work trees (absolute) found to be one, and their git dirs: one command asks several times (the
 * lock, the preflight, the journal, the health cache), one git process each, and neither changes
 * while it runs. Only answers git gave are kept: a folder that is not a work tree yet is asked again.
 */
const workTrees = new Set<string>();
const gitDirs = new Map<string, string>();
const commonDirs = new Map<string, string>();

/**
 * The three questions in one `rev-parse` (whether `repo` is in a work tree, its git dir, the common
 * dir of a linked worktree): a command asks them at its start (the lock needs the git dir, the
 * preflight whether it is a work tree and which lock files git holds), one git process each before.
 * The answers are kept; undefined when git says it is no repository at all.
 */
const PROBE = ['rev-parse', '--is-inside-work-tree', '--absolute-git-dir', '--git-common-dir'] as const;

/** `cwd`: where git ran (a relative common dir is relative to it), when not the folder `key` names. */
function keepProbe(key: string, stdout: string, cwd = key): string | undefined {
  const [inside, dir, common] = stdout.split('\n').map((l) => l.trim());
  if (!dir) return undefined;
  if (inside === 'true') workTrees.add(key);
  gitDirs.set(key, dir);
  if (common) commonDirs.set(key, path.resolve(cwd, common));
  return dir;
}

/**
 * The work tree's top level folder `dir` is in (undefined outside one), synchronously: the CLI's
 * start looks for the repo root with it. The same `rev-parse` answers the probe's questions for the
 * top level, kept: a command run from the root asks no second git for them.
 */
export function workTreeTopSync(dir: string): string | undefined {
  let out: string;
  try {
    out = execFileSync('git', [...PROBE, '--show-toplevel'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined; // no repository, or not in a work tree (--show-toplevel fails there)
  }
  const top = out.split('\n')[PROBE.length - 1]?.trim();
  if (!top) return undefined;
  const key = path.resolve(top);
  keepProbe(key, out, path.resolve(dir));
  return key;
}

export async function isGitRepo(repo: string): Promise<boolean> {
  const key = path.resolve(repo);
  if (workTrees.has(key)) return true;
  const r = await exec(repo, PROBE).catch(() => undefined);
  if (r?.code === 0) keepProbe(key, r.stdout);
  return workTrees.has(key);
}

/**
 * One `git status` of the work tree, read three ways: every path it names, the untracked
 * (not-ignored) files — what `ls-files --others --exclude-standard` lists, a nested repository as
 * `dir/` — and the tracked files whose work-tree bytes differ from the index — what
 * `git diff --name-only` lists (its second status column). A phase's journal takes the last two
 * from the status the runner reads just before it (nothing written in between) instead of two more gits.
 */
export interface TreeStatus {
  /** Every path with a change (staged, unstaged or untracked); a rename or copy names both its paths. */
  dirty: string[];
  untracked: string[];
  modified: string[];
}

export async function treeStatus(repo: string): Promise<TreeStatus> {
  return parseStatus(await git(repo, ['status', '--porcelain=v1', '-z', '--untracked-files=all']));
}

/** `git status --porcelain=v1 -z` parsed: `XY path`, and for a rename or copy (R or C in either column) the source path as the next field. */
export function parseStatus(out: string): TreeStatus {
  const fields = out.split('\0');
  const status: TreeStatus = { dirty: [], untracked: [], modified: [] };
  for (let i = 0; i < fields.length; i++) {
    const rec = fields[i]!;
    if (rec.length < 4) continue; // the empty field after the last NUL
    const [x, y, p] = [rec[0]!, rec[1]!, rec.slice(3)];
    status.dirty.push(p);
    if (x === '?') status.untracked.push(p);
    else if (y !== ' ' && y !== '!') status.modified.push(p);
    if ('RC'.includes(x) || 'RC'.includes(y)) {
      const from = fields[++i];
      if (from) status.dirty.push(from);
    }
  }
  return status;
}

/** Porcelain status paths, minus paths the caller expects to appear (e.g. a test report). */
export async function dirtyPaths(repo: string, ignore: readonly string[] = []): Promise<string[]> {
  return (await treeStatus(repo)).dirty.filter((p) => !ignore.includes(p));
}

export async function head(repo: string): Promise<string | undefined> {
  const r = await exec(repo, ['rev-parse', '--verify', '-q', 'HEAD']);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** The tree a commit (or ref) records, or undefined (no such commit: an unborn HEAD). */
export async function treeOf(repo: string, rev: string): Promise<string | undefined> {
  const r = await exec(repo, ['rev-parse', '--verify', '-q', `${rev}^{tree}`]);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/**
 * The tree the index holds (`git write-tree`: what a commit of it records), when the work tree's
 * tracked files are the index's (no unstaged change outside `ignore`); undefined otherwise.
 */
export async function stagedTree(repo: string, ignore: readonly string[] = []): Promise<string | undefined> {
  const unstaged = (await git(repo, ['diff', '--name-only', '-z'])).split('\0').filter((p) => p && !ignore.includes(p));
  if (unstaged.length) return undefined;
  const r = await exec(repo, ['write-tree']);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** The commit a ref names, or undefined. */
export async function resolveCommit(repo: string, ref: string): Promise<string | undefined> {
  const r = await exec(repo, ['rev-parse', '--verify', '-q', `${ref}^{commit}`]);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/**
 * Commits exactly the listed paths (none: an empty commit that records a phase which found
 * nothing to change) — never anything else the user had staged (`--only`: other staged changes
 * stay staged, out of the commit). The message goes through stdin (`-F -`): a command line has a
 * size limit (E2BIG), a message does not. On failure the index is put back, so the caller can
 * restore the files.
 */
export async function commitPaths(repo: string, paths: readonly string[], message: string): Promise<string> {
  return (await commitPathsAt(repo, paths, message)).sha;
}

/** A commit made: its sha and its tree. */
export interface Committed {
  sha: string;
  tree: string;
}

/** commitPaths, answering the new commit's tree too (read with its sha: one `rev-parse`). */
async function commitPathsAt(repo: string, paths: readonly string[], message: string): Promise<Committed> {
  // The paths go through a file too (NUL-separated, literal: no glob magic), for the same reason.
  const list = path.join(await gitDir(repo), 'ssot-migrate', 'commit-paths');
  const fromFile = ['--pathspec-from-file', list, '--pathspec-file-nul'];
  try {
    if (paths.length) {
      mkdirSync(path.dirname(list), { recursive: true });
      writeFileSync(list, paths.map((p) => `${p}\0`).join(''));
      // -A on the listed paths stages additions, edits and deletions alike. --force: a path the
      // phase wrote is part of its commit even where the repo's .gitignore matches it (a repo
      // ignoring `*.md` refused discover's .ssot/inventory.md after its verify had run)
      await git(repo, ['--literal-pathspecs', 'add', '-A', ...fromFile, '--force']);
    }
    await git(repo, ['--literal-pathspecs', 'commit', '-q', '--no-verify', '--allow-empty', '--only', '-F', '-', ...(paths.length ? fromFile : [])], message);
  } catch (err) {
    if (paths.length) await exec(repo, ['--literal-pathspecs', 'reset', '-q', ...fromFile]);
    throw err;
  } finally {
    rmSync(list, { force: true });
  }
  const [sha, tree] = (await git(repo, ['rev-parse', 'HEAD', 'HEAD^{tree}'])).trim().split('\n');
  return { sha: sha!, tree: tree! };
}

/**
 * A phase commit: the listed paths with the bounded message, then its full report as a git note
 * under REPORT_NOTES_REF (through stdin: a report of 20,000 items is megabytes). When the note
 * cannot be written the commit is still made and the error says so; the runner undoes both
 * (restoring the tree takes HEAD back to the base when its own commit landed).
 */
export async function commitWithReport(repo: string, paths: readonly string[], message: string, report: string): Promise<Committed> {
  const made = await commitPathsAt(repo, paths, message);
  const sha = made.sha;
  // the blobs the commit really holds (after git's filters: autocrlf, clean), for status's check of the tree
  await git(repo, ['notes', `--ref=${REPORT_NOTES_REF}`, 'add', '-f', '-F', '-', sha], report + reportOutputs(await commitOutputs(repo, sha)));
  return made;
}

/** Per file a commit changes (against its first parent; renames as a deletion and an addition): the blobs before and after. */
export async function commitOutputs(repo: string, sha: string): Promise<FileOutput[]> {
  const out = await git(repo, ['diff-tree', '-r', '-z', '--no-renames', '--no-commit-id', '--root', sha]);
  const fields = out.split('\0');
  const outputs: FileOutput[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const meta = fields[i]!.split(' '); // :oldmode newmode oldblob newblob status
    outputs.push({ before: meta[2]!, after: meta[3]!, path: fields[i + 1]! });
  }
  return outputs;
}

/** Every file's blob in a commit's tree (one `ls-tree`, cheap at tens of thousands of files). */
export async function treeBlobs(repo: string, rev: string): Promise<Map<string, string>> {
  const out = await git(repo, ['ls-tree', '-r', '-z', '--full-tree', rev]);
  const blobs = new Map<string, string>();
  for (const rec of out.split('\0')) {
    const tab = rec.indexOf('\t');
    if (tab < 0) continue;
    const [, type, id] = rec.slice(0, tab).split(' ');
    if (type === 'blob') blobs.set(rec.slice(tab + 1), id!);
  }
  return blobs;
}

/** The text of blobs by id, through one `cat-file --batch`; an id the object store lacks is absent. */
export async function readBlobs(repo: string, ids: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const unique = [...new Set(ids)];
  if (!unique.length) return found;
  const r = await new Promise<Buffer>((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: repo, stdio: ['pipe', 'pipe', 'ignore'] });
    const gone = child.pid !== undefined ? spawnObserver?.(child.pid, ['cat-file', '--batch']) : undefined;
    if (gone) child.on('exit', gone).on('error', gone);
    const out: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.on('error', (e) => reject(new GitError(`git cat-file --batch in ${repo} could not run: ${e.message}`, '')));
    child.on('close', () => resolve(Buffer.concat(out)));
    child.stdin.on('error', () => {});
    child.stdin.end(unique.map((id) => `${id}\n`).join(''));
  });
  let at = 0;
  for (const id of unique) {
    const eol = r.indexOf(10, at);
    if (eol < 0) break;
    const header = r.subarray(at, eol).toString('utf8').split(' ');
    at = eol + 1;
    if (header[1] === 'missing' || header.length < 3) continue;
    const size = Number(header[2]);
    found.set(id, r.subarray(at, at + size).toString('utf8'));
    at += size + 1;
  }
  return found;
}

/** Takes HEAD back to `base` when it moved (a commit that must not stay), keeping the tree and index as they are. */
export async function undoCommit(repo: string, base: string): Promise<void> {
  if ((await head(repo)) !== base) await git(repo, ['reset', '-q', '--soft', base]);
}

/**
 * Every report note, by the commit it is on: two git calls (`notes list`, one `cat-file --batch`)
 * instead of one per note, for callers that read several (status: the ledger's evidence).
 */
export async function readReportNotes(repo: string): Promise<Map<string, string>> {
  const listed = await exec(repo, ['notes', `--ref=${REPORT_NOTES_REF}`, 'list']);
  if (listed.code !== 0) return new Map(); // no notes ref yet
  const pairs = listed.stdout.split('\n').map((l) => l.split(' ')).filter((p): p is [string, string] => p.length === 2);
  const texts = await readBlobs(repo, pairs.map(([note]) => note));
  return new Map(pairs.flatMap(([note, commit]) => (texts.has(note) ? [[commit, texts.get(note)!] as const] : [])));
}

/** The report note on a commit, or undefined when it has none (or the clone did not fetch the notes). */
export async function readReportNote(repo: string, sha: string): Promise<string | undefined> {
  const r = await exec(repo, ['notes', `--ref=${REPORT_NOTES_REF}`, 'show', sha]);
  return r.code === 0 ? r.stdout : undefined;
}

/**
 * The lists of a phase commit in full: from its report note when the message points to one
 * (SSOT-Report), else the message's own lists — with a warning when those are cut and the note
 * is missing (e.g. a clone that did not fetch refs/notes/ssot-migrate). `phase`: which of the
 * phases the commit carries (a squash carries several; default: the one its last trailers name).
 * A commit rewritten by amend, rebase, squash or cherry-pick has no note of its own (git copies
 * notes only with notes.rewriteRef set): the note of the commit it was made from is found by the
 * message (rewriteSource) and shown, with a warning naming that commit.
 */
export async function phaseCommitReport(repo: string, entry: LogEntry, phase: string | undefined = entry.phase, notes?: ReadonlyMap<string, string>): Promise<PhaseReport & { from: 'note' | 'message' }> {
  const fromMessage = (warnings: string[]) => ({ phase: phase ?? '', needsReview: entry.needsReview, leftUntouched: entry.leftUntouched, files: [], warnings, from: 'message' as const });
  const block = ledgerMarks(entry.message).find((m) => m.kind === 'phase' && m.phase === phase);
  const ref = block?.kind === 'phase' ? block.trailers[TRAILER.report] : entry.trailers[TRAILER.report];
  if (!ref) return fromMessage(entry.complete ? [] : ['the commit message lists only the first items and the commit names no full report']);
  // `notes`: every note read already (readReportNotes)
  const text = ref !== REPORT_NOTES_REF ? undefined : notes ? notes.get(entry.sha) : await readReportNote(repo, entry.sha);
  const report = text === undefined ? undefined : reportOf(text, phase);
  if (report) return { ...report, from: 'note' };
  const picked = /^\(cherry picked from commit ([0-9a-f]{40,64})\)$/m.exec(entry.message)?.[1];
  const source = ref === REPORT_NOTES_REF && phase ? await rewriteSource(repo, entry, phase, notes) : undefined;
  if (source) {
    return { ...source.report, warnings: [...source.report.warnings, `no note under ${ref} on ${entry.sha.slice(0, 10)}: it was rewritten by amend, rebase, squash or cherry-pick${picked ? ` (cherry-picked from ${picked.slice(0, 10)})` : ''} — git copies notes only with notes.rewriteRef set; showing the note of ${source.sha.slice(0, 10)}, the commit with this phase's message it was made from (it describes that commit's change)`], from: 'note' };
  }
  // Two causes, and the advice differs: a clone that did not fetch the notes ref, or a commit
  // rewritten by amend, rebase or cherry-pick whose original commit is gone (gc, a clone).
  const rewritten = `if this commit was rewritten by amend, rebase or cherry-pick${picked ? ` (it was cherry-picked from ${picked.slice(0, 10)})` : ''}, the note stays on the commit it was made from (git copies notes on amend/rebase only with notes.rewriteRef set) and may not describe this one`;
  const why = text === undefined ? `no note under ${ref} on ${entry.sha.slice(0, 10)} (if the clone did not fetch it: git fetch <remote> ${REPORT_NOTES_REF}:${REPORT_NOTES_REF}; ${rewritten})` : `the note under ${ref} on ${entry.sha.slice(0, 10)} is not a report of ${phase}`;
  return fromMessage([`full report missing: ${why}; showing the message's lists${entry.complete ? '' : ' (first items only)'}`]);
}

/** The report of `phase` in a note: one report, or several concatenated (git's notes.rewriteMode on a squash). */
export function reportOf(text: string, phase: string | undefined): PhaseReport | undefined {
  const starts = [...text.matchAll(/^ssot-migrate report v1: /gm)].map((m) => m.index);
  const reports = starts.map((at, i) => parsePhaseReport(text.slice(at, starts[i + 1]))).filter((r): r is PhaseReport => r !== undefined);
  return reports.find((r) => r.phase === phase) ?? (phase === undefined ? reports[0] : undefined);
}

/**
 * The commit `entry` was rewritten from, and its report of `phase`: another annotated commit still
 * in the object store whose message carries `phase` and is `entry`'s own (amend --no-edit, rebase,
 * cherry-pick) or part of it (a squash joins the messages). The newest such commit when several.
 */
async function rewriteSource(repo: string, entry: LogEntry, phase: string, notes?: ReadonlyMap<string, string>): Promise<{ sha: string; report: PhaseReport } | undefined> {
  let annotated: string[];
  if (notes) annotated = [...notes.keys()].filter((s) => s !== entry.sha);
  else {
    const listed = await exec(repo, ['notes', `--ref=${REPORT_NOTES_REF}`, 'list']);
    if (listed.code !== 0) return undefined;
    annotated = listed.stdout.split('\n').map((l) => l.split(' ')[1]).filter((s): s is string => !!s && s !== entry.sha);
  }
  const own = messageIdentity(entry.message);
  let best: { sha: string; report: PhaseReport; time: number } | undefined;
  for (const sha of annotated) {
    const r = await exec(repo, ['show', '-s', '--format=%ct%x1f%B', `${sha}^{commit}`, '--']);
    if (r.code !== 0) continue; // pruned by gc: its note points at nothing
    const at = r.stdout.indexOf('\x1f');
    const message = r.stdout.slice(at + 1);
    if (!ledgerMarks(message).some((m) => m.kind === 'phase' && m.phase === phase) || !own.includes(messageIdentity(message))) continue;
    const time = Number(r.stdout.slice(0, at));
    if (best && best.time >= time) continue;
    const text = notes ? notes.get(sha) : await readReportNote(repo, sha);
    const report = text === undefined ? undefined : reportOf(text, phase);
    if (report) best = { sha, report, time };
  }
  return best && { sha: best.sha, report: best.report };
}

/** A message as rebase, squash and cherry-pick keep it: git's "(cherry picked from …)" line aside. */
export function messageIdentity(message: string): string {
  return message.replace(/^\(cherry picked from commit [0-9a-f]{7,64}\)$/gm, '').trimEnd();
}

/** Commits what is staged (a revert stages its own changes); the message through stdin. */
export async function commitStaged(repo: string, message: string): Promise<string> {
  await git(repo, ['commit', '-q', '--no-verify', '--allow-empty', '-F', '-'], message);
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

/**
 * The first of `shas` whose revert would conflict — each reverted (in that order) on what the
 * ones before it leave, starting from HEAD — and the files it would conflict in; undefined when
 * all revert cleanly (`said`: what git apply said). Worked out in a scratch index (git apply --3way of the reversed diff, the
 * 3-way merge `git revert` makes): HEAD, the index and the work tree are not touched, so a
 * rollback can refuse before it changes anything. Its patch goes through a file: bytes, not text.
 */
export async function revertConflicts(repo: string, shas: readonly string[]): Promise<{ sha: string; files: string[]; said: string } | undefined> {
  const dir = path.join(await gitDir(repo), 'ssot-migrate');
  mkdirSync(dir, { recursive: true });
  const index = path.join(dir, `revert-check-${process.pid}.index`);
  const patchFile = path.join(dir, `revert-check-${process.pid}.patch`);
  const env = { ...process.env, GIT_INDEX_FILE: index };
  try {
    await exec(repo, ['read-tree', 'HEAD'], undefined, env).then((r) => {
      if (r.code !== 0) throw new GitError(`git read-tree HEAD (scratch index) failed in ${repo}: ${r.stderr.trim()}`, r.stderr);
    });
    for (const sha of shas) {
      const patch = await gitBytes(repo, ['diff-tree', '-p', '--binary', '--no-renames', '--full-index', '-R', '--root', '--no-commit-id', sha]);
      if (!patch.length) continue; // an empty commit (a phase that found nothing to change) reverts to nothing
      writeFileSync(patchFile, patch);
      const r = await exec(repo, ['apply', '--cached', '--3way', '--whitespace=nowarn', patchFile], undefined, env);
      if (r.code === 0) continue;
      const unmerged = await exec(repo, ['ls-files', '-u', '-z'], undefined, env);
      const files = [...new Set(unmerged.stdout.split('\0').filter(Boolean).map((l) => l.slice(l.indexOf('\t') + 1)))].sort();
      return { sha, files, said: r.stderr.trim().split('\n').slice(0, 5).join('\n') };
    }
    return undefined;
  } finally {
    rmSync(index, { force: true });
    rmSync(patchFile, { force: true });
  }
}

/** git's stdout as bytes (a patch of binary or non-UTF-8 files must reach `git apply` unchanged). */
function gitBytes(repo: string, args: readonly string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    const gone = child.pid !== undefined ? spawnObserver?.(child.pid, args) : undefined;
    if (gone) child.on('exit', gone).on('error', gone);
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', (e) => reject(new GitError(`${describe(args)} in ${repo} could not run: ${e.message}`, '')));
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new GitError(`\`${describe(args)}\` failed in ${repo} (exit ${code}): ${err.trim()}`, err))));
  });
}

export async function abortRevert(repo: string): Promise<void> {
  await exec(repo, ['revert', '--abort']);
  await exec(repo, ['reset', '-q', '--hard', 'HEAD']);
}

export async function gitDir(repo: string): Promise<string> {
  const key = path.resolve(repo);
  const known = gitDirs.get(key);
  if (known !== undefined) return known;
  const out = await git(repo, PROBE);
  const dir = keepProbe(key, out);
  if (dir === undefined) throw new GitError(`git ${PROBE.join(' ')} in ${repo} named no git dir`, out);
  return dir;
}

/**
 * gitDir, synchronously: the lock and the signal path need it outside any await. Not through
 * gitSync's recorder: the recorder needs the git dir to find its file, and `rev-parse` writes
 * nothing (no lock file of git's to attribute after a kill).
 */
export function gitDirSync(repo: string): string {
  const key = path.resolve(repo);
  let dir = gitDirs.get(key);
  if (dir === undefined) {
    const out = execFileSync('git', PROBE, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    dir = keepProbe(key, out);
    if (dir === undefined) throw new GitError(`git ${PROBE.join(' ')} in ${repo} named no git dir`, out);
  }
  return dir;
}

/**
 * The common git dir (a linked worktree's main repository's; else the git dir), absolute, synchronously;
 * from the same `rev-parse` as gitDirSync (every probe asks for both). A probe that named no common dir
 * would name none when asked again: an error.
 */
export function gitCommonDirSync(repo: string): string {
  gitDirSync(repo);
  const common = commonDirs.get(path.resolve(repo));
  if (common === undefined) throw new GitError(`git ${PROBE.join(' ')} in ${repo} named no common dir`, '');
  return common;
}

export interface LogEntry extends CommitMessage {
  sha: string;
  /** The commit's tree (what the health cache is keyed by: runner/health-cache.ts). */
  tree: string;
}

/**
 * Commits reachable from HEAD, oldest first (HEAD's commit last), each message parsed by the one
 * message module. One git process: the log itself; only when it fails is HEAD asked whether there
 * is a commit at all (a repo with none has an empty history, any other failure is an error).
 */
export async function commitLog(repo: string): Promise<LogEntry[]> {
  const args = ['log', '--reverse', LOG_FORMAT];
  const r = await exec(repo, args);
  if (r.code !== 0) {
    if (!(await head(repo))) return [];
    const said = (r.stderr || r.stdout).trim().split('\n').slice(0, 20).join('\n');
    throw new GitError(`\`${describe(args)}\` failed in ${repo} (exit ${r.code})${said ? `: ${said}` : ''}`, r.stderr + r.stdout);
  }
  return parseLog(r.stdout);
}

/** The `--format` of a `git log` that parseLog reads: sha, tree, message. */
export const LOG_FORMAT = '--format=%H%x1f%T%x1f%B%x1e';

/** The entries of a `git log` run with LOG_FORMAT, in its order. */
export function parseLog(out: string): LogEntry[] {
  return out
    .split('\x1e')
    .map((rec) => rec.replace(/^\n/, ''))
    .filter((rec) => rec.includes('\x1f'))
    .map((rec) => {
      const at = rec.indexOf('\x1f');
      const at2 = rec.indexOf('\x1f', at + 1);
      return { sha: rec.slice(0, at), tree: rec.slice(at + 1, at2), ...parseCommitMessage(rec.slice(at2 + 1)) };
    });
}

export async function readCommit(repo: string, sha: string): Promise<LogEntry> {
  const out = await git(repo, ['show', '-s', '--format=%H%x1f%T%x1f%B', sha]);
  const at = out.indexOf('\x1f');
  const at2 = out.indexOf('\x1f', at + 1);
  return { sha: out.slice(0, at).trim(), tree: out.slice(at + 1, at2), ...parseCommitMessage(out.slice(at2 + 1)) };
}

/**
 * The messages of commits that may not be in the object store any more (a rebase's old hashes,
 * pruned by gc or never fetched by a clone): those found; a missing one is simply absent.
 */
export async function commitMessages(repo: string, shas: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const sha of shas) {
    const r = await exec(repo, ['show', '-s', '--format=%B', `${sha}^{commit}`, '--']);
    if (r.code === 0) found.set(sha, r.stdout);
  }
  return found;
}

/** The commit's change against its first parent (the whole tree for a root commit), renames detected. */
export function commitDiff(repo: string, sha: string): Promise<string> {
  return git(repo, ['show', '--format=', '--no-color', '--no-ext-diff', '--diff-merges=first-parent', '-M', '--unified=3', sha]);
}
