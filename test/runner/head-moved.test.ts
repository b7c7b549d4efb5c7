/**
 * A commit made while a phase plans (by a person or another tool: the repo lock binds ssot-migrate
 * only) moves HEAD under a plan made from the tree before it. The phase refuses before writing
 * anything, instead of writing its whole-file plan over that commit's edits, journaling the old
 * HEAD as its base and reading the old HEAD's cached health as the new tree's baseline.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, startCli } from './cli-process.js';
import { git, headSha, makeRepo, TWO_FILES } from './fixture-repo.js';

const cleanup: string[] = [];
afterAll(() => {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

describe('HEAD moved while a phase planned', () => {
  it('refuses with nothing written, the outside commit kept as HEAD; the phase runs on the new HEAD after', async () => {
    const repo = makeRepo(TWO_FILES);
    cleanup.push(repo);
    const run = startCli(['run', 'discover', '--repo', repo], { pauseAt: 'plan' });
    await run.paused;
    // the outside commit: an edit to a file the later phase rewrites
    writeFileSync(path.join(repo, 'src/a.ts'), 'import { OLD } from "./old";\nexport const a = OLD; // kept\n');
    git(repo, 'commit', '-qam', 'outside: an edit made while discover planned');
    const outside = headSha(repo);
    writeFileSync(path.join(git(repo, 'rev-parse', '--absolute-git-dir').trim(), 'ssot-migrate', 'resume'), '');
    const r = await run.done;
    expect(r.code, r.err + r.out).toBe(1);
    expect(r.err).toMatch(/HEAD moved from [0-9a-f]{10} to [0-9a-f]{10} while discover was planning \(a commit made outside this run\); nothing was written/);
    expect(headSha(repo)).toBe(outside);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    // run again: both phases commit on top of the outside commit, whose edit the rewrite keeps
    const again = await cli(['run', '--all', '--repo', repo]);
    expect(again.code, again.err + again.out).toBe(0);
    const log = git(repo, 'log', '--format=%s').split('\n').filter(Boolean);
    expect(log.slice(0, 3).map((s) => /^ssot\(([\w-]+)\)/.exec(s)?.[1] ?? s)).toEqual(['toy-rewrite', 'discover', 'outside: an edit made while discover planned']);
    expect(git(repo, 'show', 'HEAD:src/a.ts')).toContain('// kept');
  }, 120_000);
});
