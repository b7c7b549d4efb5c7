/**
 * rewrite-imports' commit summary against its writes: it said "1 import site(s) rewritten" for
 * `import { OLD, OLD2 }` → `import { NEW, NEW2 }` and their uses (two sites), because the number
 * is the diff's changed regions (phase/report.ts countEdits), not import sites. It now says edits.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeGitRepo } from '../../test/helpers/git-repo.js';
import { withDefaults } from '../../test/helpers/fixture-manifest.js';
import { countEdits } from '../phase/report.js';
import { RepoSnapshot } from '../snapshot/snapshot.js';
import { rewriteImportsPhase } from './phase.js';

const repos: string[] = [];
afterAll(() => repos.forEach((r) => rmSync(r, { recursive: true, force: true })));

describe('rewrite-imports summary', () => {
  it('counts the edits and the files its writes hold', async () => {
    const files: Record<string, string> = {
      'ssot.config.json': JSON.stringify(withDefaults({ canonical: { module: 'src/canonical', exports: ['NEW', 'NEW2', 'createWebSocketManager', 'UserExecutionContext'] }, legacy: [{ id: 'OLD001', module: 'src/old', symbols: { OLD: 'NEW', OLD2: 'NEW2' } }] })),
      'src/old.ts': 'export const OLD = 1;\nexport const OLD2 = 2;\n',
      'src/canonical.ts': 'export const NEW = 1;\nexport const NEW2 = 2;\n',
      'src/a.ts': "import { OLD, OLD2 } from './old';\nexport const a = OLD + OLD2;\n",
      'src/b.ts': "import { OLD } from './old';\nexport const b = OLD;\n",
    };
    const repo = makeGitRepo('ssot-ri-summary-', files);
    repos.push(repo);
    const p = await rewriteImportsPhase.plan(await RepoSnapshot.open(repo), { typeGuard: false });
    const edits = p.writes.reduce((n, w) => n + countEdits(files[w.path]!, String(w.content)), 0);
    expect(p.writes.map((w) => w.path).sort()).toEqual(['src/a.ts', 'src/b.ts']);
    // three import sites (OLD, OLD2; OLD), each file's diff one region with the uses below it
    expect(edits).toBe(2);
    expect(p.summary).toMatch(new RegExp(`^${edits} edit\\(s\\) rewriting legacy imports in ${p.writes.length} file\\(s\\)`));
  }, 60_000);
});
