/**
 * The phase runner on real copies of examples/legacy-app with the real codemods: commits,
 * idempotency, restore on a failed verification, dirty-tree refusal, rollback, the ratchet.
 */
import { execSync } from 'node:child_process';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { makeScratchRepo } from '../../scripts/demo.js';
import { checkRatchet, committedPhases, rollbackPhase, runPhase } from '../../scripts/runner/index.js';
import { useNativeTsc } from '../helpers/git-repo.js';
import { git, treeDigest } from './fixture-repo.js';

const repos: string[] = [];
async function scratch(patchManifest?: (m: Record<string, unknown>) => void): Promise<string> {
  const repo = await makeScratchRepo();
  repos.push(repo);
  // The app's `npm run typecheck` on TypeScript 7 (test/helpers/git-repo.ts useNativeTsc): ~0.9 CPU-s a
  // typecheck instead of ~3.0, the same errors (none) on this app; its whole migration on the toolkit's
  // TypeScript 5.9 stays in test/e2e/migration.test.ts (the demo's path).
  useNativeTsc(repo);
  if (patchManifest) {
    const file = path.join(repo, 'ssot.config.json');
    const m = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    patchManifest(m);
    writeFileSync(file, `${JSON.stringify(m, null, 2)}\n`);
    git(repo, 'commit', '-qam', 'manifest for this test');
  }
  return repo;
}
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

// node_modules is a link farm and reports/ the test command's output: neither is the tree.
const digest = (repo: string) => treeDigest(repo, ['node_modules', 'reports']);
const typecheck = (repo: string): boolean => { execSync('npm run --silent typecheck', { cwd: repo, stdio: 'pipe' }); return true; };

describe('phase runner on copies of examples/legacy-app', () => {
  test('discover and rewrite-imports (a pure module move) commit one by one with tsc passing; a second run makes no commit; rollback restores the pre-phase tree exactly', async () => {
    const repo = await scratch((m) => (m.phases = ['discover', 'rewrite-imports']));
    const d = await runPhase(repo, 'discover');
    expect(d.status, d.reason).toBe('committed');
    const preTree = git(repo, 'rev-parse', 'HEAD^{tree}');
    const preDigest = digest(repo);

    const r = await runPhase(repo, 'rewrite-imports');
    expect(r.status, r.reason).toBe('committed');
    expect(r.files).toBeGreaterThan(0);
    expect(r.compliance!.after).toBeGreaterThan(r.compliance!.before);
    expect(r.verification?.summary).toMatch(/typecheck 0->0 errors/);
    expect(typecheck(repo)).toBeTruthy();
    expect(git(repo, 'log', '-1', '--format=%B')).toContain('SSOT-Phase: rewrite-imports');

    const head = git(repo, 'rev-parse', 'HEAD');
    expect((await runPhase(repo, 'rewrite-imports')).status).toBe('nothing-to-do');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);

    const rb = await rollbackPhase(repo, 'rewrite-imports');
    expect(rb.ok, rb.reason).toBe(true);
    expect(git(repo, 'rev-parse', 'HEAD^{tree}')).toBe(preTree);
    expect(digest(repo)).toBe(preDigest);
    expect([...(await committedPhases(repo)).keys()]).toEqual(['discover']);
  }, 300_000);

  test('a phase whose verification fails (a test command that rejects the change) leaves the tree byte-identical and makes no commit', async () => {
    // The injected test command passes on the legacy tree and fails once any facade imports the shim.
    const repo = await scratch((m) => {
      (m.verify as Record<string, string>).test = 'npm test && ! grep -rq "ssot-migrate/shim" src';
    });
    expect((await runPhase(repo, 'discover')).status).toBe('committed');
    expect((await runPhase(repo, 'move-declarations')).status).toBe('committed');
    const before = digest(repo);
    const head = git(repo, 'rev-parse', 'HEAD');
    const o = await runPhase(repo, 'strangle');
    expect(o).toMatchObject({ status: 'failed', step: 'verify' });
    expect(o.reason).toMatch(/passed before and fails after|do not pass after/);
    expect(digest(repo)).toBe(before);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  }, 300_000);

  test('a dirty tree is refused; check fails on a newly added legacy import and passes after it is removed', async () => {
    const repo = await scratch();
    appendFileSync(path.join(repo, 'src/dependencies.ts'), '\n// local edit\n');
    const refused = await runPhase(repo, 'discover');
    expect(refused).toMatchObject({ status: 'refused', step: 'preflight' });
    expect(refused.reason).toContain('src/dependencies.ts');
    git(repo, 'checkout', '--', 'src/dependencies.ts');

    expect((await checkRatchet(repo)).ok).toBe(true); // writes the baseline
    const added = path.join(repo, 'src/new_feature.ts');
    writeFileSync(added, "import { UnifiedWebSocketManager } from './websocket_core/unified_manager.js';\nexport type M = UnifiedWebSocketManager;\n");
    const bad = await checkRatchet(repo);
    expect(bad.ok).toBe(false);
    expect(bad.message).toContain('src/new_feature.ts');
    rmSync(added);
    expect((await checkRatchet(repo)).ok).toBe(true);
  });
});
