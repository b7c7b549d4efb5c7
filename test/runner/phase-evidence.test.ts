/**
 * `status` checks a done phase's evidence against the tree, not only its trailers: a conflicted
 * rebase that lost one file's change, a hand edit reverting one file, an app edit on top, a later
 * phase rewriting the same file, a note written before output blobs were recorded, and a phase
 * commit folded into an earlier one by a fixup. Real repositories (the runner's toy fixture), real git.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { buildReview } from '../../scripts/review/report.js';
import { repoStatus, runPhase } from '../../scripts/runner/index.js';
import { fromTemplate, git, makeRepo } from './fixture-repo.js';

const repos: string[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

const ORIGINAL_B = 'import { OLD } from "./old";\nexport const b = [OLD, OLD];\n';
const FILES = {
  'src/a.ts': 'import { OLD } from "./old";\nexport const a = OLD;\n',
  'src/b.ts': ORIGINAL_B,
};

/** A second custom phase after toy-rewrite that rewrites the same files: `NEW` → `NEW /* tagged *\/`. */
const TOY_TAG = `export default function toyTag({ files, read }) {
  const writes = [];
  for (const f of files) {
    if (!f.startsWith('src/') || f === 'src/canonical.ts') continue;
    const text = read(f);
    if (!text.includes('= NEW') || text.includes('tagged')) continue;
    writes.push({ path: f, content: text.replace('= NEW', '= NEW /* tagged */') });
  }
  return { writes, edits: writes.length, summary: \`tagged \${writes.length} file(s)\` };
}
`;
const WITH_TAG = {
  phases: ['discover', 'toy-rewrite', 'toy-tag'],
  customPhases: [
    { name: 'toy-rewrite', kind: 'module', path: 'phases/toy-rewrite.mjs', after: 'discover', description: 'OLD → NEW' },
    { name: 'toy-tag', kind: 'module', path: 'phases/toy-tag.mjs', after: 'toy-rewrite', description: 'tags NEW' },
  ],
};

/** The fixture (with toy-tag when `tag`) with discover and toy-rewrite committed, made once each; every call gets its own copy (`cp -a`: history, notes, cached health). */
const toyCommits: Record<'plain' | 'tag', string> = { plain: '', tag: '' };
const templates = {
  plain: fromTemplate(() => migratedRepo(false), repos),
  tag: fromTemplate(() => migratedRepo(true), repos),
};
async function migratedRepo(tag: boolean): Promise<string> {
  const repo = makeRepo(tag ? { ...FILES, 'phases/toy-tag.mjs': TOY_TAG } : FILES, tag ? WITH_TAG : {});
  expect((await runPhase(repo, 'discover')).status).toBe('committed');
  const t = await runPhase(repo, 'toy-rewrite');
  expect(t.status).toBe('committed');
  toyCommits[tag ? 'tag' : 'plain'] = t.commit!;
  return repo;
}
async function migrated(tag = false): Promise<{ repo: string; toy: string }> {
  const repo = await templates[tag ? 'tag' : 'plain']();
  return { repo, toy: toyCommits[tag ? 'tag' : 'plain'] };
}

const stateOf = async (repo: string, phase: string) => (await repoStatus(repo)).phases.find((p) => p.phase === phase)!;
const headSha = (repo: string) => git(repo, 'rev-parse', 'HEAD').trim();
function commitFile(repo: string, file: string, text: string, message: string): void {
  writeFileSync(path.join(repo, file), text);
  git(repo, 'commit', '-qam', message);
}

describe('a done phase checked against the tree', () => {
  test('untouched since: done, verified', async () => {
    const { repo } = await migrated();
    const s = await stateOf(repo, 'toy-rewrite');
    expect(s).toMatchObject({ state: 'done', evidence: { verdict: 'verified', undone: [], changed: [] } });
    expect(s.why).toBeUndefined();
  });

  test('a rebase whose conflict was resolved by taking the other side for one file: partly undone, naming it; review says so; `run` re-applies it', async () => {
    const { repo } = await migrated();
    git(repo, 'branch', 'migration');
    git(repo, 'reset', '-q', '--hard', 'HEAD~2');
    commitFile(repo, 'src/b.ts', 'import { OLD } from "./old";\nexport const b = [OLD, OLD, 3];\n', 'app: b gets a third');
    git(repo, 'checkout', '-q', 'migration');
    expect(() => git(repo, 'rebase', '-q', 'main')).toThrow(); // the conflict in src/b.ts
    git(repo, 'checkout', '--ours', 'src/b.ts'); // "ours" while rebasing: main's side
    git(repo, 'add', 'src/b.ts');
    git(repo, '-c', 'core.editor=true', 'rebase', '--continue');
    expect(git(repo, 'log', '-1', '--format=%B')).toContain('SSOT-Files: 2'); // the trailers still claim both files
    const s = await stateOf(repo, 'toy-rewrite');
    expect(s).toMatchObject({ state: 'partly-undone', commit: headSha(repo), evidence: { verdict: 'partly-undone', undone: ['src/b.ts'] } });
    expect(s.why).toContain('1 file(s) no longer carry its change (src/b.ts)');
    expect(s.why).toContain('`ssot-migrate run toy-rewrite` re-applies it');
    expect((await buildReview(repo, 'toy-rewrite')).report.warnings.join('\n')).toContain('partly undone: 1 file(s) no longer carry its change (src/b.ts)');
    const again = await runPhase(repo, 'toy-rewrite');
    expect(again).toMatchObject({ status: 'committed', files: 1 });
    expect(git(repo, 'show', '--name-only', '--format=', 'HEAD').trim()).toBe('src/b.ts');
    // src/b.ts is the new commit's now (and holds what it wrote); src/a.ts the first one's
    expect(await stateOf(repo, 'toy-rewrite')).toMatchObject({ state: 'done', commit: again.commit, evidence: { verdict: 'verified', undone: [], changed: [] } });
    expect((await repoStatus(repo)).legacyImportSites).toBe(0);
  });

  test("a hand edit reverting one file's change: partly undone; an app edit on top of another: changed since, still done", async () => {
    const { repo } = await migrated();
    commitFile(repo, 'src/a.ts', 'import { NEW } from "./canonical";\nexport const a = NEW;\nexport const more = 2;\n', 'app: a gets more');
    expect(await stateOf(repo, 'toy-rewrite')).toMatchObject({ state: 'done', evidence: { verdict: 'changed', changed: ['src/a.ts'], undone: [] } });
    expect((await stateOf(repo, 'toy-rewrite')).why).toContain('1 file(s) changed since, its change still in them (src/a.ts)');
    commitFile(repo, 'src/b.ts', ORIGINAL_B, 'back to the old b');
    expect(await stateOf(repo, 'toy-rewrite')).toMatchObject({ state: 'partly-undone', evidence: { undone: ['src/b.ts'], changed: ['src/a.ts'] } });
    // a later edit of the phase's own lines (not back to the old ones) is a change, not an undo
    commitFile(repo, 'src/b.ts', 'import { NEW } from "./canonical";\nexport const b = [NEW];\n', 'app: one is enough');
    expect(await stateOf(repo, 'toy-rewrite')).toMatchObject({ state: 'done', evidence: { verdict: 'changed', changed: ['src/a.ts', 'src/b.ts'] } });
  });

  test('a later phase rewriting the same files: both done and verified; an earlier phase\'s change lost before the later one ran is found through the later one\'s input', async () => {
    const { repo } = await migrated(true);
    expect((await runPhase(repo, 'toy-tag')).status).toBe('committed');
    const s = await repoStatus(repo);
    expect(s.phases.find((p) => p.phase === 'toy-rewrite')).toMatchObject({ state: 'done', evidence: { verdict: 'verified' } });
    expect(s.phases.find((p) => p.phase === 'toy-tag')).toMatchObject({ state: 'done', evidence: { verdict: 'verified' } });

    const other = (await migrated(true)).repo;
    commitFile(other, 'src/b.ts', ORIGINAL_B, 'back to the old b');
    expect(await stateOf(other, 'toy-tag')).toMatchObject({ state: 'blocked', why: 'waits for toy-rewrite (partly undone)' });
    expect((await runPhase(other, 'toy-tag')).reason).toContain('toy-rewrite (partly undone)');
  });

  test('a report note written before output blobs were recorded: the phase commit\'s own diff is the evidence (ledger-gaps.test.ts: where it cannot be)', async () => {
    const { repo, toy } = await migrated();
    const note = git(repo, 'notes', '--ref=ssot-migrate', 'show', toy);
    const old = note.slice(0, note.indexOf('\nOutput blobs ('));
    expect(old).toContain('Files (2):');
    git(repo, 'notes', '--ref=ssot-migrate', 'add', '-f', '-m', old, toy);
    commitFile(repo, 'src/b.ts', ORIGINAL_B, 'back to the old b');
    const s = await stateOf(repo, 'toy-rewrite');
    expect(s).toMatchObject({ state: 'partly-undone', evidence: { verdict: 'partly-undone', undone: ['src/b.ts'] } });
    expect(s.evidence?.unverifiable).toBeUndefined();
    expect((await runPhase(repo, 'toy-rewrite')).status).toBe('committed');
  });
});
