/**
 * git's grep as the prefilter (codemods/engine/git-prefilter.ts): a run that lets git judge the
 * candidates reports exactly what a run that reads every file reports, on a generated repo with
 * every kind of file git cannot vouch for (a symlink, an untracked file, a deleted one, an
 * assume-unchanged file edited in the work tree, an intent-to-add file, non-ASCII and invalid
 * UTF-8 texts), when git stops early (too many matches), and outside a git repository; and
 * the repo's files from git's index listing (which the snapshot uses in place of `git ls-files
 * -co` when the prefilter runs) as `git ls-files -co` lists them.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RepoSnapshot, runTransform } from '../../codemods/index.js';
import { listRepoFiles } from '../../codemods/engine/files.js';
import { gitExceptions, GitPrefilter, grepPattern, INDEX_LISTING, listedRepoFiles } from '../../codemods/engine/git-prefilter.js';
import { gitPrefilterStats, runSyntaxPhase } from '../../codemods/engine/run.js';
import { genMonorepo } from '../../scripts/gen-monorepo.js';
import { git, initAndCommit, makeGitRepo, writeFiles } from '../helpers/git-repo.js';

const SLOW = 120_000;

/** The files' reports and the dry run's diff: what the CLI prints. */
async function dryRun(repo: string, viaGit: boolean) {
  // a snapshot opened without gitPrefilter reads every file, as before
  const snapshot = viaGit ? undefined : await RepoSnapshot.open(repo);
  const r = await runTransform('rewrite-imports', repo, { dryRun: true, options: { typeGuard: false }, ...(snapshot ? { snapshot } : {}) });
  return { files: r.files, diff: r.diff, summary: r.summary };
}

describe('git grep as the prefilter', () => {
  let repo: string;
  let plain: string;
  let linked = '';
  let intended = '';
  let untracked = '';
  let assumed = '';
  beforeAll(async () => {
    repo = mkdtempSync(join(tmpdir(), 'ssot-git-prefilter-'));
    await genMonorepo({ dir: repo, files: 400, affected: 0.1, seed: 5 });
    initAndCommit(repo);
    const affected = git(repo, 'grep', '-l', '-F', 'websocket_core/websocket_manager', '--', 'packages').trim().split('\n');
    const clean = git(repo, 'grep', '-L', '-F', 'websocket_core', '--', 'packages').trim().split('\n').filter((f) => f.endsWith('.ts'));
    expect(affected.length).toBeGreaterThan(10);
    expect(clean.length).toBeGreaterThan(10);
    const text = (f: string) => readFileSync(join(repo, f), 'utf8');
    // a tracked symlink to an affected file (git's grep does not follow it)
    // (each next to its original, so that its relative specifiers resolve)
    linked = join(dirname(affected[0]!), 'linked.ts');
    symlinkSync(join(repo, affected[0]!), join(repo, linked));
    git(repo, 'add', linked);
    // intent-to-add, then an untracked file, both affected
    intended = join(dirname(affected[1]!), 'intended.ts');
    writeFileSync(join(repo, intended), text(affected[1]!));
    git(repo, 'add', '-N', intended);
    untracked = join(dirname(affected[2]!), 'untracked.ts');
    writeFileSync(join(repo, untracked), text(affected[2]!));
    assumed = clean[0]!;
    // deleted in the work tree
    unlinkSync(join(repo, affected[3]!));
    // assume-unchanged in the index, edited in the work tree to import a legacy module (git's grep reads the index blob)
    git(repo, 'update-index', '--assume-unchanged', clean[0]!);
    writeFileSync(join(repo, clean[0]!), text(affected[4]!));
    // non-ASCII: with a token, without one, and invalid UTF-8 with one
    writeFileSync(join(repo, affected[5]!), `// café\n${text(affected[5]!)}`);
    writeFileSync(join(repo, clean[1]!), `// naïve\n${text(clean[1]!)}`);
    writeFileSync(join(repo, affected[6]!), Buffer.concat([Buffer.from([0xff, 0x0a]), Buffer.from(text(affected[6]!))]));
    plain = mkdtempSync(join(tmpdir(), 'ssot-git-prefilter-plain-'));
    cpSync(repo, plain, { recursive: true, filter: (src) => !src.endsWith('/.git') });
  }, SLOW);
  afterAll(() => {
    rmSync(repo, { recursive: true, force: true });
    rmSync(plain, { recursive: true, force: true });
  });

  it('reports what reading every file reports, and leaves most files unread', async () => {
    const before = { ...gitPrefilterStats };
    const viaGit = await dryRun(repo, true);
    expect(gitPrefilterStats.judged).toBe(before.judged + 1);
    expect(gitPrefilterStats.unread - before.unread).toBeGreaterThan(200);
    const read = await dryRun(repo, false);
    expect(viaGit).toEqual(read);
    const status = (f: string) => viaGit.files.find((r) => r.file === f)?.status;
    for (const f of [intended, untracked, assumed]) expect([f, status(f)]).toEqual([f, 'changed']);
    // read through the link by both (its report is the same either way)
    expect(status(linked)).toBeDefined();
    expect(viaGit.files.some((r) => r.status === 'skipped')).toBe(true);
    // a second run judges the same
    expect(await dryRun(repo, true)).toEqual(read);
  }, SLOW);

  it('stopped for too many matches, or outside a git repository, every file is read as before', async () => {
    const snapshot = await RepoSnapshot.open(repo);
    const tokens = snapshot.context.prefilterTokens;
    const run = (gitPrefilter?: GitPrefilter) =>
      runSyntaxPhase({ repoDir: repo, transformName: 'rewrite-imports', ctx: snapshot.context, files: snapshot.candidates, workers: 0, ...(gitPrefilter ? { gitPrefilter } : {}) });
    const read = await run();
    const stopped = new GitPrefilter(repo, tokens, 2);
    expect((await run(stopped)).files.map((f) => f.report)).toEqual(read.files.map((f) => f.report));
    expect(stopped.stopped).toBe(true);
    expect(await stopped.outcome()).toBeUndefined();

    const before = gitPrefilterStats.judged;
    const outside = await dryRun(plain, true);
    expect(gitPrefilterStats.judged).toBe(before);
    expect(outside).toEqual(await dryRun(plain, false));
  }, SLOW);

  it('escapes each token for PCRE and lists the index entries git cannot vouch for', () => {
    expect(grepPattern(["'./'", 'a.b', 'x(y', 'né'])).toBe("\\'\\.\\/\\'|a\\.b|x\\(y|[\\x80-\\xff]");
    const listing = [
      'H 100644 e965047ad7c57865823c7d992b1d046ea66edf78 0\tkept.ts',
      'H 100755 e965047ad7c57865823c7d992b1d046ea66edf78 0\tscript.js',
      'H 120000 e965047ad7c57865823c7d992b1d046ea66edf78 0\tlink.ts',
      'H 100644 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 0\tintended.ts',
      'h 100644 e965047ad7c57865823c7d992b1d046ea66edf78 0\tassumed.ts',
      'S 100644 e965047ad7c57865823c7d992b1d046ea66edf78 0\tsparse.ts',
      'H 100644 e965047ad7c57865823c7d992b1d046ea66edf78 0\tgone.ts',
      'R 100644 e965047ad7c57865823c7d992b1d046ea66edf78 0\tgone.ts',
      'M 100644 e965047ad7c57865823c7d992b1d046ea66edf78 1\tconflict.ts',
      '? new.ts',
      '',
    ].join('\0');
    expect([...gitExceptions(listing)].sort()).toEqual(['assumed.ts', 'conflict.ts', 'gone.ts', 'intended.ts', 'link.ts', 'new.ts', 'sparse.ts']);
  });

  it('lists the files git ls-files -co lists, in its order, from the index listing', async () => {
    // the generated repo's states (a symlink, intent-to-add, untracked, deleted, assume-unchanged), and the snapshot's list from it
    expect(listedRepoFiles(git(repo, ...INDEX_LISTING))).toEqual(listRepoFiles(repo));
    expect((await RepoSnapshot.open(repo, { gitPrefilter: true })).repoFiles).toEqual(listRepoFiles(repo));
    // and the ones it lacks: an unmerged path (one entry per stage), skip-worktree, deleted and assume-unchanged together, a tab in a name
    const small = makeGitRepo('ssot-git-listing-', { 'a.ts': 'a\n', 'b.ts': 'b\n', 'c.ts': 'c\n', 'd.ts': 'd\n', 'e.ts': 'e\n' });
    try {
      git(small, 'checkout', '-qb', 'side');
      writeFiles(small, { 'a.ts': 'side\n' });
      git(small, 'commit', '-qam', 'side');
      git(small, 'checkout', '-q', 'main');
      writeFiles(small, { 'a.ts': 'main\n' });
      git(small, 'commit', '-qam', 'main');
      expect(() => git(small, 'merge', '-q', 'side')).toThrow();
      git(small, 'update-index', '--skip-worktree', 'b.ts');
      unlinkSync(join(small, 'c.ts'));
      git(small, 'update-index', '--assume-unchanged', 'd.ts');
      unlinkSync(join(small, 'd.ts'));
      writeFiles(small, { 'new\tname.ts': 'n\n', 'z.ts': 'z\n' });
      const listing = git(small, ...INDEX_LISTING);
      // the cases are there: three stages of a.ts, c.ts listed twice (H, R), d.ts as h then r
      expect(listing.split('\0').filter((e) => e.endsWith('\ta.ts'))).toHaveLength(3);
      expect(listing).toContain('\0r ');
      expect(listRepoFiles(small)).toContain('new\tname.ts');
      expect(listedRepoFiles(listing)).toEqual(listRepoFiles(small));
    } finally {
      rmSync(small, { recursive: true, force: true });
    }
  });
});
