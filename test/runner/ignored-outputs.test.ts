/**
 * A phase's own outputs are committed even where the repo's .gitignore matches them: a public
 * backend (kurosakixgod/hono-backend-messenger) ignores `*.md` (its `.gitignore` keeps notes out),
 * and `run discover` verified the tree, then failed at commit — `git add` refused
 * .ssot/inventory.md — leaving the phase undone after its whole verify. The commit stages exactly
 * the paths the phase wrote, ignored or not, and nothing else the ignore rules cover.
 */
import { writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runPhase } from '../../scripts/runner/index.js';
import { git, makeRepo } from './fixture-repo.js';

const repos: string[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

describe('a phase output the repo ignores', () => {
  test('discover commits .ssot/inventory.md under a `*.md` ignore rule; an ignored file the phase did not write stays out', async () => {
    const repo = makeRepo({ '.gitignore': '*.md\nnotes/\n', 'src/a.ts': 'import { OLD } from "./old";\nexport const a = OLD;\n' });
    repos.push(repo);
    writeFileSync(path.join(repo, 'NOTES.md'), 'mine, ignored\n');
    const o = await runPhase(repo, 'discover');
    expect(o.status).toBe('committed');
    expect(git(repo, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual(['.ssot/inventory.json', '.ssot/inventory.md']);
    expect(git(repo, 'ls-files', 'NOTES.md').trim()).toBe('');
    expect(git(repo, 'status', '--porcelain').trim()).toBe('');
  }, 120_000);
});
