/**
 * What the ledger says where ledger9's evidence check left gaps: lines a phase wrote that also
 * stand elsewhere in the file, notes written before output blobs were recorded (the phase commit's
 * own diff answers), a phase commit folded by a fixup whose source commit gc pruned (no
 * notes.rewriteRef), a rollback that would conflict, and the run gate's advice for a partly
 * undone phase. Real repositories (the runner's toy fixture), real git.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { repoStatus, rollbackPhase, runPhase } from '../../scripts/runner/index.js';
import { fromTemplate, git, makeRepo, treeDigest, TWO_FILES } from './fixture-repo.js';

const repos: string[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

const FILES = TWO_FILES;

/**
 * The fixture with discover and toy-rewrite committed. Made once per set of files and manifest
 * (several tests start from the same one); each call gets its own copy (`cp -a`: its history,
 * notes and cached health), the same commits.
 */
const templates = new Map<string, { copy: () => Promise<string>; commits?: { discover: string; toy: string } }>();
async function migrated(files: Record<string, string> = FILES, manifest: Record<string, unknown> = {}): Promise<{ repo: string; discover: string; toy: string }> {
  const key = JSON.stringify([files, manifest]);
  let t = templates.get(key);
  if (!t) {
    const made: { copy: () => Promise<string>; commits?: { discover: string; toy: string } } = {
      copy: fromTemplate(async () => {
        const repo = makeRepo(files, manifest);
        const d = await runPhase(repo, 'discover');
        expect(d.status).toBe('committed');
        const toy = await runPhase(repo, 'toy-rewrite');
        expect(toy.status).toBe('committed');
        made.commits = { discover: d.commit!, toy: toy.commit! };
        return repo;
      }, repos),
    };
    templates.set(key, (t = made));
  }
  const repo = await t.copy();
  return { repo, ...t.commits! };
}

const headSha = (repo: string) => git(repo, 'rev-parse', 'HEAD').trim();
const stateOf = async (repo: string, phase: string) => (await repoStatus(repo)).phases.find((p) => p.phase === phase)!;
function commitFile(repo: string, file: string, text: string, message: string): void {
  writeFileSync(path.join(repo, file), text);
  git(repo, 'add', file);
  git(repo, 'commit', '-qm', message);
}

describe('the evidence check is exact where the phase\'s lines also stand elsewhere in the file', () => {
  // two() is migrated by the phase; one() already used NEW, so the line the phase wrote in two() also stands in one()
  const TWICE = {
    'src/c.ts': 'import { OLD } from "./old";\nexport function one() {\n  return use(NEW);\n}\nexport function two() {\n  return use(OLD);\n}\n',
  };

  test('the phase\'s line taken back where a copy of it stands elsewhere: partly undone, not "changed since"', async () => {
    const { repo } = await migrated(TWICE);
    // two() back to OLD; the import stays migrated, so the file is neither the phase's output nor its input
    commitFile(repo, 'src/c.ts', 'import { NEW } from "./canonical";\nexport function one() {\n  return use(NEW);\n}\nexport function two() {\n  return use(OLD);\n}\n', 'app: two() back to OLD');
    expect(await stateOf(repo, 'toy-rewrite')).toMatchObject({ state: 'partly-undone', evidence: { verdict: 'partly-undone', undone: ['src/c.ts'], changed: [] } });
  });

  test('the phase\'s line edited over while the old line comes back elsewhere (new code): changed since, not partly undone', async () => {
    const { repo } = await migrated({ 'src/c.ts': 'import { OLD } from "./old";\nexport function two() {\n  return use(OLD);\n}\n' });
    commitFile(repo, 'src/c.ts', 'import { NEW } from "./canonical";\nexport function three() {\n  return use(OLD);\n}\nexport function two() {\n  return use(NEW, 2);\n}\n', 'app: three(), and two() takes 2');
    expect(await stateOf(repo, 'toy-rewrite')).toMatchObject({ state: 'done', evidence: { verdict: 'changed', undone: [], changed: ['src/c.ts'] } });
  });
});

// a phase after toy-rewrite that finds nothing to do (an empty commit): its gate, and a rollback of two commits
const NOOP = 'export default function toyNoop() {\n  return { writes: [], edits: 0, summary: "nothing" };\n}\n';
const WITH_NOOP = {
  phases: ['discover', 'toy-rewrite', 'toy-noop'],
  customPhases: [
    { name: 'toy-rewrite', kind: 'module', path: 'phases/toy-rewrite.mjs', after: 'discover', description: 'OLD → NEW' },
    { name: 'toy-noop', kind: 'module', path: 'phases/toy-noop.mjs', after: 'toy-rewrite', description: 'nothing' },
  ],
};

describe('the run gate for a partly undone earlier phase', () => {

  test('says what is missing and that `ssot-migrate run <phase>` re-applies it', async () => {
    const { repo } = await migrated({ ...FILES, 'phases/toy-noop.mjs': NOOP }, WITH_NOOP);
    commitFile(repo, 'src/b.ts', FILES['src/b.ts']!, 'back to the old b');
    const r = await runPhase(repo, 'toy-noop');
    expect(r).toMatchObject({ status: 'refused', step: 'gate' });
    expect(r.reason).toBe('earlier phase toy-rewrite (partly undone) is committed, but 1 file(s) no longer carry its change (src/b.ts) — `ssot-migrate run toy-rewrite` re-applies it (or `run --all`)');
    expect((await runPhase(repo, 'toy-rewrite')).status).toBe('committed');
    expect((await runPhase(repo, 'toy-noop')).status).toBe('committed');
  });
});

describe('a ledger without output blobs: the phase commit\'s own diff is the evidence where it is the phase\'s alone', () => {
  const withoutOutputs = (repo: string, sha: string) => {
    const note = git(repo, 'notes', '--ref=ssot-migrate', 'show', sha);
    git(repo, 'notes', '--ref=ssot-migrate', 'add', '-f', '-m', note.slice(0, note.indexOf('\nOutput blobs (')), sha);
  };

  test('no notes at all (a clone that did not fetch them): the diff counted by SSOT-Files verifies, and finds a file taken back', async () => {
    const { repo } = await migrated();
    git(repo, 'update-ref', '-d', 'refs/notes/ssot-migrate');
    expect(await stateOf(repo, 'toy-rewrite')).toMatchObject({ state: 'done', evidence: { verdict: 'verified', undone: [], changed: [] } });
    commitFile(repo, 'src/b.ts', FILES['src/b.ts']!, 'back to the old b');
    expect(await stateOf(repo, 'toy-rewrite')).toMatchObject({ state: 'partly-undone', evidence: { verdict: 'partly-undone', undone: ['src/b.ts'] } });
  });

  test('an old note on a commit that also holds a change the phase did not write: not verifiable, naming it — never guessed', async () => {
    const { repo, toy } = await migrated();
    withoutOutputs(repo, toy);
    writeFileSync(path.join(repo, 'src/c.ts'), 'export const c = 3;\n');
    git(repo, 'add', 'src/c.ts');
    git(repo, 'commit', '-q', '--amend', '--no-edit');
    commitFile(repo, 'src/b.ts', FILES['src/b.ts']!, 'back to the old b');
    const s = await stateOf(repo, 'toy-rewrite');
    expect(s).toMatchObject({ state: 'done', evidence: { verdict: 'not-verifiable', undone: [] } });
    expect(s.why).toContain('records no output blobs (written by an older ssot-migrate), and the commit changes 1 file(s) its report does not list (src/c.ts)');
  });
});

describe('rollback of a phase whose revert would conflict', () => {
  test('refused before anything is reverted, naming the file — also the later phase\'s revert, which alone would be clean', async () => {
    const { repo } = await migrated({ ...FILES, 'phases/toy-noop.mjs': NOOP }, WITH_NOOP);
    expect((await runPhase(repo, 'toy-noop')).status).toBe('committed');
    // b taken back to OLD by hand and given a third element: reverting toy-rewrite conflicts there
    commitFile(repo, 'src/b.ts', 'import { OLD } from "./old";\nexport const b = [OLD, OLD, 3];\n', 'app: b back to OLD, with a third');
    expect(await stateOf(repo, 'toy-rewrite')).toMatchObject({ state: 'partly-undone', evidence: { undone: ['src/b.ts'] } });
    const before = { head: headSha(repo), tree: treeDigest(repo), index: git(repo, 'ls-files', '-s') };
    const r = await rollbackPhase(repo, 'toy-rewrite');
    expect(r).toMatchObject({ ok: false, steps: [] });
    expect(r.reason).toMatch(/^rollback of toy-rewrite: reverting toy-rewrite \([0-9a-f]{10}\) would conflict in src\/b\.ts — .*nothing was changed/);
    expect({ head: headSha(repo), tree: treeDigest(repo), index: git(repo, 'ls-files', '-s') }).toEqual(before);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    // put back what the phase wrote: the rollback goes through, both commits reverted
    commitFile(repo, 'src/b.ts', 'import { NEW } from "./canonical";\nexport const b = [NEW, NEW];\n', 'app: b as the phase wrote it');
    const ok = await rollbackPhase(repo, 'toy-rewrite');
    expect(ok.ok, ok.reason).toBe(true);
    expect(ok.steps.map((s) => s.phase)).toEqual(['toy-noop', 'toy-rewrite']);
  });
});

describe('a phase commit folded by a fixup, its source commit pruned by gc (no notes.rewriteRef)', () => {
  test('done at the commit holding what its note records it wrote, saying so; `run` does not apply it again', async () => {
    const { repo, toy } = await migrated();
    git(repo, '-c', "sequence.editor=sed -i -e '2s/^pick/fixup/'", '-c', 'core.editor=true', 'rebase', '-q', '-i', 'HEAD~2');
    const folded = headSha(repo);
    git(repo, 'reflog', 'expire', '--expire=now', '--all');
    git(repo, 'gc', '-q', '--prune=now');
    expect(() => git(repo, 'cat-file', '-e', `${toy}^{commit}`)).toThrow(); // pruned; its note is still listed
    expect(git(repo, 'notes', '--ref=ssot-migrate', 'list')).toContain(toy);
    const s = await stateOf(repo, 'toy-rewrite');
    expect(s).toMatchObject({ state: 'done', commit: folded, evidence: { verdict: 'verified' } });
    expect(s.why).toContain(`its commit ${toy.slice(0, 10)} was rewritten (a fixup drops its message) and pruned since; ${folded.slice(0, 10)} is the first commit holding every file`);
    const again = await runPhase(repo, 'toy-rewrite');
    expect(again).toMatchObject({ status: 'nothing-to-do', commit: folded });
    expect(headSha(repo)).toBe(folded);
  });
});
