import { writeFileSync, readFileSync, rmSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { checkRatchet, committedPhases, repoStatus, rollbackPhase, runAll, runPhase } from '../../scripts/runner/index.js';
import { fromTemplate, git, makeRepo, treeDigest } from './fixture-repo.js';

const repos: string[] = [];
const repoWith = (...args: Parameters<typeof makeRepo>) => {
  const r = makeRepo(...args);
  repos.push(r);
  return r;
};
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

const FILES = {
  'src/a.ts': 'import { OLD } from "./old";\r\nexport const a = OLD;\r\n', // CRLF on purpose
  'src/b.ts': '// b\nimport { OLD } from "./old";\nexport const b = [OLD, OLD];\n',
  'src/c.ts': 'export const c = 1;\n',
};

/** FILES with discover committed, made once; each call gets its own copy (`cp -a`: history, notes, cached health). */
const discovered = fromTemplate(async () => {
  const repo = makeRepo(FILES);
  expect((await runPhase(repo, 'discover')).status).toBe('committed');
  return repo;
}, repos);

describe('phase runner on real git repositories', () => {
  test('phases commit one by one with trailers; a second run makes no commit', async () => {
    const repo = repoWith(FILES);
    const d = await runPhase(repo, 'discover');
    expect(d.status).toBe('committed');
    const r = await runPhase(repo, 'toy-rewrite');
    expect(r.status).toBe('committed');
    expect(r.files).toBe(2);
    expect(r.edits).toBe(5);
    expect(r.compliance).toEqual({ before: 0, after: 100 });

    const body = git(repo, 'log', '-1', '--format=%B');
    expect(body).toMatch(/^ssot\(toy-rewrite\): rewrote 5 site\(s\)/);
    expect(body).toContain('SSOT-Phase: toy-rewrite');
    expect(body).toContain('SSOT-Files: 2');
    expect(body).toContain('SSOT-Edits: 5');
    expect(body).toContain('SSOT-Compliance: 0.0->100.0');
    // Only the edited bytes changed: CRLF kept.
    expect(readFileSync(path.join(repo, 'src/a.ts'), 'utf8')).toBe('import { NEW } from "./canonical";\r\nexport const a = NEW;\r\n');

    const head = git(repo, 'rev-parse', 'HEAD');
    const again = await runPhase(repo, 'toy-rewrite');
    expect(again.status).toBe('nothing-to-do');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect([...(await committedPhases(repo)).keys()]).toEqual(['discover', 'toy-rewrite']);
  });

  test('a later phase is refused until the earlier selected phases are committed', async () => {
    const repo = repoWith(FILES);
    const o = await runPhase(repo, 'toy-rewrite');
    expect(o).toMatchObject({ status: 'refused', step: 'gate' });
    expect(o.reason).toContain('discover');
  });

  test('a phase whose typecheck gets worse leaves the tree byte-identical and makes no commit', async () => {
    const repo = await discovered();
    const before = treeDigest(repo);
    const head = git(repo, 'rev-parse', 'HEAD');
    const o = await runPhase(repo, 'toy-rewrite', { options: { inject: 'BROKEN\n' } });
    expect(o).toMatchObject({ status: 'failed', step: 'verify' });
    expect(o.reason).toMatch(/TypeScript errors rose from 0 to 1/);
    expect(treeDigest(repo)).toBe(before);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  test('a phase whose planning throws fails with the error message, no stack (SSOT_DEBUG=1 adds it), tree untouched', async () => {
    const repo = await discovered();
    const before = treeDigest(repo);
    const o = await runPhase(repo, 'toy-rewrite', { options: { fail: 'the transform needs a peer that is not installed' } });
    expect(o).toMatchObject({ status: 'failed', step: 'transform', reason: 'the transform needs a peer that is not installed' });
    expect(treeDigest(repo)).toBe(before);
    process.env.SSOT_DEBUG = '1';
    try {
      const debug = await runPhase(repo, 'toy-rewrite', { options: { fail: 'boom' } });
      expect(debug.reason).toMatch(/^Error: boom\n\s+at /);
    } finally {
      delete process.env.SSOT_DEBUG;
    }
  });

  test('a phase that makes a passing test fail is restored, with the failing output in the reason', async () => {
    const repo = await discovered();
    const before = treeDigest(repo);
    const o = await runPhase(repo, 'toy-rewrite', { options: { inject: '// FAILTEST\n' } });
    expect(o).toMatchObject({ status: 'failed', step: 'verify' });
    expect(o.reason).toContain('FAIL test_events');
    expect(treeDigest(repo)).toBe(before);
  });

  test('a dirty tree is refused unless --allow-dirty; dirty bytes survive a failed phase', async () => {
    const repo = await discovered();
    appendFileSync(path.join(repo, 'src/b.ts'), '// local edit\n');
    const refused = await runPhase(repo, 'toy-rewrite');
    expect(refused).toMatchObject({ status: 'refused', step: 'preflight' });
    expect(refused.reason).toContain('src/b.ts');
    // --allow-dirty: a dirty file the phase writes is refused (test/runner/allow-dirty.test.ts); an unrelated one survives a failed phase
    git(repo, 'checkout', '--', 'src/b.ts');
    appendFileSync(path.join(repo, 'src/c.ts'), '// local edit\n');
    const before = treeDigest(repo);
    const failed = await runPhase(repo, 'toy-rewrite', { options: { inject: 'BROKEN\n' }, allowDirty: true });
    expect(failed.status).toBe('failed');
    expect(treeDigest(repo)).toBe(before);
  });

  test('a failing baseline without a test report is refused with a clear message', async () => {
    const repo = repoWith({ ...FILES, 'src/c.ts': '// FAILTEST\n' });
    const before = treeDigest(repo);
    const o = await runPhase(repo, 'discover');
    expect(o).toMatchObject({ status: 'refused', step: 'baseline' });
    expect(treeDigest(repo)).toBe(before);
    expect(o.reason).toMatch(/fails on the pre-phase tree.*verify\.testReport/s);
  });

  test('with verify.testReport, a known-failing baseline is tolerated but a newly failing test is not', async () => {
    // Writes JUnit: "legacy_flaky" always fails; "events" fails once FAILTEST appears.
    const junit = `import fs from 'node:fs';\nconst bad = fs.readdirSync('src').some((f) => fs.readFileSync('src/' + f, 'utf8').includes('FAILTEST'));\nfs.writeFileSync('junit.xml', '<testsuites><testsuite name="s"><testcase classname="suite" name="legacy_flaky"><failure message="x"/></testcase><testcase classname="suite" name="events">' + (bad ? '<failure message="broken"/>' : '') + '</testcase></testsuite></testsuites>');\nprocess.exit(1);\n`;
    const repo = repoWith({ ...FILES, 'junit.mjs': junit, '.gitignore': 'junit.xml\n' }, { verify: { typecheck: 'node typecheck.mjs', test: 'node junit.mjs', testReport: 'junit.xml' } });
    expect((await runPhase(repo, 'discover')).status).toBe('committed');
    // junit.xml is the test command's own (git-ignored) output, rewritten by every run.
    const before = treeDigest(repo, ['junit.xml']);
    const broken = await runPhase(repo, 'toy-rewrite', { options: { inject: '// FAILTEST\n' } });
    expect(broken).toMatchObject({ status: 'failed', step: 'verify' });
    expect(broken.reason).toContain('suite › events');
    expect(treeDigest(repo, ['junit.xml'])).toBe(before);
    const fine = await runPhase(repo, 'toy-rewrite');
    expect(fine.status).toBe('committed');
    expect(fine.verification?.summary).toContain('1/2 passed');
  });

  test('--dry-run prints a unified diff and writes nothing', async () => {
    const repo = await discovered();
    const before = treeDigest(repo);
    const o = await runPhase(repo, 'toy-rewrite', { dryRun: true });
    expect(o.status).toBe('dry-run');
    expect(o.diff).toContain('--- a/src/b.ts');
    expect(o.diff).toContain('-export const b = [OLD, OLD];');
    expect(o.diff).toContain('+export const b = [NEW, NEW];');
    expect(treeDigest(repo)).toBe(before);
  });

  test('rollback of toy-rewrite restores the pre-phase tree exactly and the ledger forgets it', async () => {
    const repo = await discovered();
    const prePhaseTree = git(repo, 'rev-parse', 'HEAD^{tree}');
    const prePhaseDigest = treeDigest(repo);
    await runPhase(repo, 'toy-rewrite');
    const rb = await rollbackPhase(repo, 'toy-rewrite');
    expect(rb.ok).toBe(true);
    expect(rb.steps.map((s) => s.phase)).toEqual(['toy-rewrite']);
    expect(git(repo, 'rev-parse', 'HEAD^{tree}')).toBe(prePhaseTree);
    expect(treeDigest(repo)).toBe(prePhaseDigest);
    expect(git(repo, 'log', '-1', '--format=%B')).toContain('SSOT-Rollback: toy-rewrite');
    expect([...(await committedPhases(repo)).keys()]).toEqual(['discover']);
    // and the phase can run again
    expect((await runPhase(repo, 'toy-rewrite')).status).toBe('committed');
  });

  test('rollback of an earlier phase reverts later phases first', async () => {
    const repo = repoWith(FILES);
    const initialTree = git(repo, 'rev-parse', 'HEAD^{tree}');
    const all = await runAll(repo);
    expect(all.map((o) => o.status)).toEqual(['committed', 'committed']);
    const rb = await rollbackPhase(repo, 'discover');
    expect(rb.steps.map((s) => s.phase)).toEqual(['toy-rewrite', 'discover']);
    expect(git(repo, 'rev-parse', 'HEAD^{tree}')).toBe(initialTree);
  });

  test('status lists done / pending / blocked with compliance and what is left', async () => {
    const repo = repoWith({ ...FILES, 'src/d.ts': '// TODO(ssot): needs a UserExecutionContext\n' }, { phases: ['discover', 'toy-rewrite', 'remove-adapters'] });
    await runPhase(repo, 'discover');
    const s = await repoStatus(repo);
    expect(s.phases.find((p) => p.phase === 'discover')?.state).toBe('done');
    expect(s.phases.find((p) => p.phase === 'toy-rewrite')?.state).toBe('pending');
    expect(s.phases.find((p) => p.phase === 'remove-adapters')).toMatchObject({ state: 'blocked' });
    expect(s.phases.find((p) => p.phase === 'strangle')?.state).toBe('not-selected');
    // real figures: one named import of the legacy module in each of a.ts and b.ts
    expect(s.legacyImportSites).toBe(2);
    expect(s.legacyFiles).toBe(2);
    expect(s.compliance).toBe(0);
    expect(s.todoMarkers).toHaveLength(1);
    expect(s.todoMarkers[0]).toMatchObject({ file: 'src/d.ts', line: 1 });
  });

  test('check (the ratchet) fails on a newly added legacy import and passes once it is removed', async () => {
    const repo = repoWith(FILES);
    const first = await checkRatchet(repo);
    expect(first).toMatchObject({ ok: true, total: 2, updated: true });
    writeFileSync(path.join(repo, 'src/e.ts'), 'import { OLD } from "./old";\n');
    const bad = await checkRatchet(repo);
    expect(bad.ok).toBe(false);
    expect(bad.message).toContain('src/e.ts');
    rmSync(path.join(repo, 'src/e.ts'));
    expect((await checkRatchet(repo)).ok).toBe(true);
    // moving a site into a file that had none fails even when the total stays the same
    writeFileSync(path.join(repo, 'src/a.ts'), 'export const a = 1;\n');
    writeFileSync(path.join(repo, 'src/c.ts'), 'import { OLD } from "./old";\nexport const c = OLD;\n');
    expect((await checkRatchet(repo)).ok).toBe(false);
    // a fall lowers the baseline only with --update
    writeFileSync(path.join(repo, 'src/c.ts'), 'export const c = 1;\n');
    const lower = await checkRatchet(repo, { update: true });
    expect(lower).toMatchObject({ ok: true, total: 1, updated: true });
    expect(JSON.parse(readFileSync(lower.baselineFile, 'utf8')).total).toBe(1);
  });
});
