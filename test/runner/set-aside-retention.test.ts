/**
 * Set-aside folders (the verify outputs a failed phase's restore moved out of the tree) are kept
 * until asked: a later successful phase leaves them; `status` lists each with its file count, size
 * and age; `clean --set-aside` lists what it removes and removes it (`--dry-run`: lists only;
 * `--older-than`: keeps the younger), refused while another operation holds the repository.
 * The folders come from real failed phases (a verify command writing `out/report.txt`).
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { acquireRepoLock, cleanSetAside, listSetAside, repoStatus, runPhase } from '../../scripts/runner/index.js';
import { git, makeRepo } from './fixture-repo.js';
import { cli } from './cli-process.js';

const repos: string[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

const DAY = 86_400_000;

/** discover committed; then two failed runs of toy-rewrite, each leaving one set-aside folder (out/report.txt, 12 bytes). */
async function withTwoSetAside(): Promise<string> {
  const repo = makeRepo({ 'src/a.ts': 'import { OLD } from "./old";\nexport const a = OLD;\n' }, { verify: { typecheck: 'mkdir -p out && printf "report 12 b\\n" > out/report.txt && node typecheck.mjs', test: 'node test.mjs' } });
  repos.push(repo);
  const d = await runPhase(repo, 'discover');
  expect(d.status, d.reason).toBe('committed');
  rmSync(path.join(repo, 'out'), { recursive: true }); // discover's verification left it
  for (let i = 0; i < 2; i++) {
    const o = await runPhase(repo, 'toy-rewrite', { options: { inject: 'BROKEN\n' } });
    expect(o).toMatchObject({ status: 'failed', step: 'verify' });
    expect(o.setAside?.files).toEqual(['out/report.txt']);
    await new Promise((r) => setTimeout(r, 20)); // distinct start times, hence names
  }
  expect(existsSync(path.join(repo, 'out'))).toBe(false);
  return repo;
}

describe('set-aside retention', () => {
  test('status lists each folder with files, size and age; a successful phase removes none; clean lists, then removes', async () => {
    const repo = await withTwoSetAside();
    const listed = listSetAside(repo);
    expect(listed).toHaveLength(2);
    for (const f of listed) {
      expect(f).toMatchObject({ files: 1, bytes: 12 });
      expect(f.ageMs).toBeLessThan(60_000);
      expect(Date.parse(f.startedAt)).toBeLessThanOrEqual(Date.now());
    }
    expect(listed[0]!.startedAt < listed[1]!.startedAt).toBe(true); // oldest first
    // a successful run of the phase deletes nothing it set aside before
    const ok = await runPhase(repo, 'toy-rewrite');
    expect(ok.status, ok.reason).toBe('committed');
    expect((await repoStatus(repo)).setAside?.map((f) => f.dir)).toEqual(listed.map((f) => f.dir));
    rmSync(path.join(repo, 'out'), { recursive: true }); // the successful run's own output (untracked, not ignored)
    const st = await cli(['status', '--repo', repo]);
    expect(st.code, st.err).toBe(0);
    expect(st.out).toContain('kept until you remove them');
    expect(st.out).toContain('ssot-migrate clean --set-aside');
    for (const f of listed) expect(st.out).toContain(`  ${f.dir} (1 file(s), 12 bytes, under a minute old)`);

    const dry = await cli(['clean', '--set-aside', '--dry-run', '--repo', repo]);
    expect(dry.code, dry.err).toBe(0);
    for (const f of listed) expect(dry.out).toContain(`would remove ${f.dir} (1 file(s), 12 bytes`);
    expect(dry.out).toContain('would remove 2 set-aside folder(s), 2 file(s), 24 bytes');
    expect(listSetAside(repo)).toHaveLength(2);

    const young = await cli(['clean', '--set-aside', '--older-than', '30d', '--repo', repo]);
    expect(young.code, young.err).toBe(0);
    expect(young.out).toBe('removed 0 set-aside folder(s), 0 file(s), 0 bytes; kept 2 younger than 30d\n');
    expect(listSetAside(repo)).toHaveLength(2);

    const all = await cli(['clean', '--set-aside', '--repo', repo]);
    expect(all.code, all.err).toBe(0);
    expect(all.out.split('\n').filter((l) => l.startsWith('removing '))).toEqual(listed.map((f) => `removing ${f.dir} (1 file(s), 12 bytes, under a minute old)`));
    expect(all.out).toContain('removed 2 set-aside folder(s), 2 file(s), 24 bytes');
    expect(readdirSync(path.join(git(repo, 'rev-parse', '--absolute-git-dir').trim(), 'ssot-migrate', 'set-aside'))).toEqual([]);
    expect((await repoStatus(repo)).setAside).toBeUndefined();
    expect(git(repo, 'status', '--porcelain')).toBe(''); // nothing in the tree was touched
  }, 90_000);

  test('--older-than removes only the older folder; clean is refused while another operation holds the repository', async () => {
    const repo = await withTwoSetAside();
    const [older, newer] = listSetAside(repo) as [ReturnType<typeof listSetAside>[0], ReturnType<typeof listSetAside>[0]];
    // ten days on from the newer one's start: the newer is exactly 10 days old (kept), the older more
    const now = Date.parse(newer.startedAt) + 10 * DAY;
    const lock = acquireRepoLock(repo, 'a test holding the repository');
    try {
      const held = cleanSetAside(repo, { olderThanMs: 10 * DAY, now });
      expect(held.refused).toMatch(/holds the lock/);
      expect(held.removed).toEqual([]);
      const cliHeld = await cli(['clean', '--set-aside', '--repo', repo]);
      expect(cliHeld.code).toBe(1);
      expect(cliHeld.err).toMatch(/clean refused: .*a test holding the repository/);
    } finally {
      lock.release();
    }
    expect(listSetAside(repo)).toHaveLength(2);
    const r = cleanSetAside(repo, { olderThanMs: 10 * DAY, now });
    expect(r.removed.map((f) => f.dir)).toEqual([older.dir]);
    expect(r.kept.map((f) => f.dir)).toEqual([newer.dir]);
    expect(listSetAside(repo).map((f) => f.dir)).toEqual([newer.dir]);
    const usage = await cli(['clean', '--repo', repo]);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('--set-aside');
  }, 90_000);
});
