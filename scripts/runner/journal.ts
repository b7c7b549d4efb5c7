/**
 * The journal of a phase (or a rollback step) in flight, in the git dir: written and fsynced
 * before the first file is touched — the phase, the base commit, every file it will write with
 * its original bytes (a copy), mode and hash, the folders it will create, a copy of the git
 * index and the untracked files there are (what the verify commands add is moved out on restore:
 * untracked.ts). It is written before the baseline runs, since the verify commands write files. From it the tree is restored byte-for-byte: on SIGINT/SIGTERM by the runner itself, after
 * a SIGKILL/crash/power loss by `ssot-migrate recover`. Every command refuses to work on (or report
 * figures from) a tree with a journal, and says what happened.
 */
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { gitSync, REPORT_NOTES_REF, type TreeStatus } from '../git/index.js';
import { liveGitChildren } from './git-children.js';
import { dropOrphanPhaseNote } from './orphan-note.js';
import { describeHolder, gitDirSync, liveHolder, type LockError, type LockInfo } from './lock.js';
import { modifiedTracked, setAsideCreatedSince, setAsideName, untrackedSnapshot, type SetAside, type UntrackedSnapshot } from './untracked.js';

export type JournalKind = 'phase' | 'rollback';

export interface JournalFile {
  path: string;
  existed: boolean;
  mode: number;
  sha256?: string;
  /** Name of the byte copy under the journal's files/ folder. */
  backup?: string;
}

export interface JournalData {
  version: 1;
  kind: JournalKind;
  phase: string;
  pid: number;
  startedAt: string;
  /** HEAD before the phase (undefined in a repo with no commit yet). */
  base?: string;
  step: string;
  files: JournalFile[];
  /** Repo-relative folders the phase creates (restore removes them when empty). */
  createdDirs: string[];
  /** Whether a copy of the git index was saved. */
  index: boolean;
  /**
   * The untracked, not-ignored files (and empty folders) when the operation began: a restore moves
   * every other such file created since (the verify commands' outputs) out of the tree
   * (untracked.ts). Absent in a journal written by an older version: nothing is moved then.
   */
  untracked?: UntrackedSnapshot;
  /** Tracked files already changed (against the index) when it began: a restore names the others changed since. */
  modified?: string[];
}

export class JournalPendingError extends Error {
  constructor(message: string, readonly journal: JournalData, readonly running?: LockInfo) {
    super(message);
    this.name = 'JournalPendingError';
  }
}

export class RestoreError extends Error {}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export function journalDir(repo: string): string {
  return path.join(gitDirSync(repo), 'ssot-migrate', 'journal');
}

function writeDurable(file: string, bytes: Buffer | string): void {
  const fd = openSync(file, 'w', 0o600);
  try {
    writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // not supported here (some file systems): the data files are fsynced all the same
  }
}

export interface Journal {
  dir: string;
  data: JournalData;
  setStep(step: string): void;
  /** The phase finished (committed or restored by the runner): the journal goes. */
  clear(): void;
}

/**
 * Removes a journal: journal.json first (made durable), the copies after. A kill or power loss
 * in the middle then leaves either a whole journal or none — never a journal.json whose copies
 * are half gone, from which `recover` would undo a finished phase's commit and fail to restore.
 */
function dropJournal(dir: string): void {
  try {
    unlinkSync(path.join(dir, 'journal.json'));
    fsyncDir(dir);
  } catch {
    // none there
  }
  rmSync(dir, { recursive: true, force: true });
}

function writeJournal(dir: string, data: JournalData): void {
  const tmp = path.join(dir, 'journal.json.tmp');
  writeDurable(tmp, `${JSON.stringify(data, null, 2)}\n`);
  renameSync(tmp, path.join(dir, 'journal.json'));
  fsyncDir(dir);
}

export interface JournalSpec {
  kind: JournalKind;
  phase: string;
  base: string | undefined;
  step: string;
  paths: readonly string[];
  /**
   * The tree's status as the caller read it just before, with nothing written since (the runner's
   * check of the files a phase writes): the untracked and changed files are taken from it instead of
   * from two more gits (`ls-files --others`, `diff --name-only`). Absent: the journal asks git.
   */
  status?: Pick<TreeStatus, 'untracked' | 'modified'>;
}

/** Writes the journal (copies of every original) before anything in `paths` is touched. */
export function beginJournal(repo: string, spec: JournalSpec): Journal {
  const dir = journalDir(repo);
  const existing = readJournal(repo);
  if (existing) throw new JournalPendingError(pendingMessage(repo, existing, undefined), existing);
  try {
    return writeNewJournal(repo, dir, spec);
  } catch (err) {
    // A disk full (ENOSPC), a quota: no journal.json was written, so nothing in the tree was touched. The partial copies go.
    rmSync(dir, { recursive: true, force: true });
    throw new JournalWriteError(`could not write the journal in ${dir} (${(err as Error).message}); nothing in the work tree was changed`);
  }
}

export class JournalWriteError extends Error {
  override name = 'JournalWriteError';
}

function writeNewJournal(repo: string, dir: string, spec: JournalSpec): Journal {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'files'), { recursive: true });
  const files: JournalFile[] = [];
  const createdDirs = new Set<string>();
  [...new Set(spec.paths)].forEach((rel, i) => {
    const abs = path.join(repo, rel);
    for (let d = path.dirname(abs); d.startsWith(repo + path.sep) && !existsSync(d); d = path.dirname(d)) createdDirs.add(path.relative(repo, d));
    let st;
    try {
      st = lstatSync(abs);
    } catch {
      files.push({ path: rel, existed: false, mode: 0 });
      return;
    }
    const bytes = readFileSync(abs);
    const backup = String(i);
    writeDurable(path.join(dir, 'files', backup), bytes);
    files.push({ path: rel, existed: true, mode: st.mode & 0o7777, sha256: sha256(bytes), backup });
  });
  const gitIndex = path.join(gitDirSync(repo), 'index');
  const index = existsSync(gitIndex);
  if (index) {
    copyFileSync(gitIndex, path.join(dir, 'index'));
    const fd = openSync(path.join(dir, 'index'), 'r');
    fsyncSync(fd);
    closeSync(fd);
  }
  // After the copies: what is untracked now is the user's (or an earlier run's), never touched
  const untracked = untrackedSnapshot(repo, spec.status?.untracked);
  const modified = spec.status ? [...spec.status.modified] : modifiedTracked(repo);
  const data: JournalData = {
    version: 1,
    kind: spec.kind,
    phase: spec.phase,
    pid: process.pid,
    startedAt: new Date().toISOString(),
    ...(spec.base ? { base: spec.base } : {}),
    step: spec.step,
    files,
    createdDirs: [...createdDirs].sort((a, b) => b.length - a.length),
    index,
    untracked,
    modified,
  };
  writeJournal(dir, data);
  return {
    dir,
    data,
    setStep(step: string) {
      data.step = step;
      writeJournal(dir, data);
    },
    clear() {
      dropJournal(dir);
    },
  };
}

/**
 * What the lock's live holder is at now, from its journal (which phase or rollback, which step),
 * for a refusal to name: `run --all` names no phase in its command. Undefined before its journal
 * exists (preflight, plan) or when the journal is another process's.
 */
export function holderActivity(repo: string, holder: LockInfo | undefined): string | undefined {
  const j = holder ? readJournal(repo) : undefined;
  if (!j || j.pid !== holder!.pid) return undefined;
  return `now at ${j.kind === 'rollback' ? `the rollback of ${j.phase}` : `phase ${j.phase}`}, step ${j.step}`;
}

/** The lock's refusal, with what its holder is at now (its journal's phase and step) when known. */
export function lockRefusal(repo: string, err: LockError): string {
  const now = holderActivity(repo, err.holder);
  return now ? `${err.message} (${now})` : err.message;
}

export function readJournal(repo: string): JournalData | undefined {
  let dir: string;
  try {
    dir = journalDir(repo);
  } catch {
    return undefined; // not a git repository: no journal can be there
  }
  const file = path.join(dir, 'journal.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JournalData;
  } catch (err) {
    throw new RestoreError(`the journal ${file} is unreadable (${(err as Error).message}); the tree may hold an unfinished phase's edits — inspect \`git status\` and \`git diff\`, then delete ${path.dirname(file)}`);
  }
}

function revParse(repo: string, ref: string): string | undefined {
  try {
    return gitSync(repo, ['rev-parse', '--verify', '-q', ref]).trim();
  } catch {
    return undefined;
  }
}

const headSync = (repo: string) => revParse(repo, 'HEAD');

export function pendingMessage(repo: string, j: JournalData, running: LockInfo | undefined): string {
  const what = j.kind === 'rollback' ? `rollback of phase ${j.phase}` : `phase ${j.phase}`;
  if (running) return `a ${what} is running on this repository (${describeHolder(running)}), at step ${j.step}; its edits are not committed yet — wait for it to finish`;
  const moved = j.base && headSync(repo) !== j.base ? `, HEAD moved from ${j.base.slice(0, 10)}` : '';
  const gits = liveGitChildren(repo);
  if (gits.length) return `an interrupted ${what} (pid ${j.pid}, started ${j.startedAt}) stopped at step ${j.step}, but its git is still running (${gits.map((c) => `pid ${c.pid}: git ${c.args.join(' ')}`).join('; ')})${moved}; once it has ended, run \`ssot-migrate recover --repo ${repo}\` to restore the tree exactly as it was before the phase${j.base ? ` (HEAD ${j.base.slice(0, 10)})` : ''}`;
  return `an interrupted ${what} (pid ${j.pid}, started ${j.startedAt}) stopped at step ${j.step} and may have left ${j.step === 'baseline' ? 'its verify commands\' outputs (no file of it was written yet)' : `${j.files.length} file(s) changed`}${moved}; run \`ssot-migrate recover --repo ${repo}\` to restore the tree exactly as it was before the phase${j.base ? ` (HEAD ${j.base.slice(0, 10)})` : ''}`;
}

/**
 * Throws JournalPendingError when an unfinished phase's journal is there (running or interrupted).
 * `lockHeld`: the caller holds the repository's lock, so no other operation runs — the live holder
 * is the caller itself, and the journal is an interrupted operation's.
 */
export function assertNoJournal(repo: string, lockHeld = false): void {
  const j = readJournal(repo);
  if (!j) return;
  const running = lockHeld ? undefined : liveHolder(repo);
  throw new JournalPendingError(pendingMessage(repo, j, running), j, running);
}

export interface Restored {
  phase: string;
  kind: JournalKind;
  step: string;
  files: number;
  /** Set when the interrupted phase had committed: that commit was undone (HEAD back at base), and its report note removed. */
  undidCommit?: string;
  /** Set when the interrupted phase's commit had been undone by hand (HEAD already at base): its report note, left on a commit no branch holds, was removed. */
  droppedNote?: string;
  /** The undone commit's report note could not be removed: why, and the command that removes it. */
  noteLeft?: string;
  base?: string;
  /** Untracked, not-ignored files created during the operation, moved out of the tree (untracked.ts). */
  setAside?: SetAside;
  /** Tracked files, not the operation's, changed while it ran: not restored (no copy of them was taken), named. */
  changedTracked?: string[];
}

/**
 * Puts the tree back exactly as the journal found it (synchronous: the signal path runs it):
 * HEAD back to the base when the phase's own commit landed, every file's bytes and mode, created
 * folders removed, the git index as it was; then checks every hash and clears the journal.
 */
export function restoreFromJournal(repo: string, j: JournalData = readJournal(repo)!): Restored {
  if (!j) throw new RestoreError('no journal: nothing to recover');
  const dir = journalDir(repo);
  const head = headSync(repo);
  let undidCommit: string | undefined;
  let noteLeft: string | undefined;
  let droppedNote: string | undefined;
  if (j.base && head !== j.base) {
    const parent = head ? revParse(repo, `${head}^`) : undefined;
    const message = head ? gitSync(repo, ['show', '-s', '--format=%B', head]) : '';
    const trailer = j.kind === 'rollback' ? 'SSOT-Rollback' : 'SSOT-Phase';
    const own = parent === j.base && message.split('\n').some((l) => l.trim() === `${trailer}: ${j.phase}`);
    if (!own) throw new RestoreError(`HEAD is ${head?.slice(0, 10) ?? 'unborn'}, not the base ${j.base.slice(0, 10)} of the interrupted ${j.phase} nor its commit; not touching history. Inspect it, then delete ${dir}`);
    // The phase commit's report note goes with it (else `git notes list` and a push of the notes ref
    // carry a full report of a commit in no branch). Before the reset: killed in between, the next
    // recover still finds HEAD on that commit and removes the note then (a missing note writes nothing).
    if (j.kind === 'phase') {
      try {
        gitSync(repo, ['notes', `--ref=${REPORT_NOTES_REF}`, 'remove', '--ignore-missing', head!], { stderr: 'pipe' });
      } catch (err) {
        noteLeft = `its report note was not removed (${err instanceof Error ? err.message.split('\n')[0] : String(err)}): git notes --ref=${REPORT_NOTES_REF.replace('refs/notes/', '')} remove ${head}`;
      }
    }
    gitSync(repo, ['reset', '-q', '--soft', j.base]);
    undidCommit = head;
  } else if (j.kind === 'phase' && j.base && j.step === 'commit') {
    // its commit may have landed and been undone by hand since (`git reset --hard HEAD~1`): its note goes too
    const orphan = dropOrphanPhaseNote(repo, j.phase, j.base, j.startedAt);
    if (orphan.removed) droppedNote = orphan.removed;
    if (orphan.left) noteLeft = orphan.left;
  }
  if (j.kind === 'rollback') {
    try {
      gitSync(repo, ['revert', '--quit']);
    } catch {
      // no revert in progress
    }
  }
  for (const f of j.files) {
    const abs = path.join(repo, f.path);
    if (!f.existed) {
      if (existsSync(abs) || isLink(abs)) unlinkSync(abs);
      continue;
    }
    if (unchanged(abs, f)) continue; // not written yet (interrupted before apply): its mtime stays too
    mkdirSync(path.dirname(abs), { recursive: true });
    if (isLink(abs) || (existsSync(abs) && statSync(abs).isDirectory())) rmSync(abs, { recursive: true, force: true });
    copyFileSync(path.join(dir, 'files', f.backup!), abs);
    chmodSync(abs, f.mode);
  }
  if (j.index) copyFileSync(path.join(dir, 'index'), path.join(gitDirSync(repo), 'index'));
  // With every file and the index put back (a .gitignore among them), what git sees as untracked,
  // not ignored and new was created during the operation (before the folders it made are removed)
  const setAside = j.untracked ? setAsideCreatedSince(repo, j.untracked, setAsideName(j.kind, j.phase, j.startedAt)) : undefined;
  const known = new Set([...(j.modified ?? []), ...j.files.map((f) => f.path)]);
  const changedTracked = j.modified ? modifiedTracked(repo).filter((p) => !known.has(p)) : [];
  for (const d of j.createdDirs) {
    try {
      rmdirSync(path.join(repo, d));
    } catch {
      // not empty: something else lives there now
    }
  }
  const wrong = j.files.filter((f) => f.existed && sha256(readFileSync(path.join(repo, f.path))) !== f.sha256).map((f) => f.path);
  if (wrong.length) throw new RestoreError(`restored files do not match their recorded hashes: ${wrong.join(', ')}; the journal is kept in ${dir}`);
  dropJournal(dir);
  // the path list an interrupted phase commit left for `git add`/`git commit` (git.ts commitPaths): that commit is undone
  rmSync(path.join(path.dirname(dir), 'commit-paths'), { force: true });
  return { phase: j.phase, kind: j.kind, step: j.step, files: j.files.length, ...(undidCommit ? { undidCommit } : {}), ...(noteLeft ? { noteLeft } : {}), ...(droppedNote ? { droppedNote } : {}), ...(j.base ? { base: j.base } : {}), ...(setAside ? { setAside } : {}), ...(changedTracked.length ? { changedTracked } : {}) };
}

/** The file is a regular file with the recorded bytes and mode already. */
function unchanged(abs: string, f: JournalFile): boolean {
  try {
    const st = lstatSync(abs);
    return st.isFile() && (st.mode & 0o7777) === f.mode && sha256(readFileSync(abs)) === f.sha256;
  } catch {
    return false;
  }
}

function isLink(abs: string): boolean {
  try {
    return lstatSync(abs).isSymbolicLink();
  } catch {
    return false;
  }
}
