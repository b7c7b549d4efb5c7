/**
 * A custom phase asked to run over a tree holding a file that does not parse: the runner drops
 * that write (left byte-identical, listed as left untouched), so the commit's subject and
 * SSOT-Edits must count only what the commit holds — not the phase's own total over every write
 * it returned. Real repo, the toy custom phase (its own summary "rewrote N site(s)").
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { runPhase } from '../../scripts/runner/index.js';
import { git, makeRepo } from './fixture-repo.js';

const repos: string[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

test("a write dropped because its output does not parse is not counted in the commit's subject or SSOT-Edits", async () => {
  const broken = 'import { OLD } from "./old";\nexport const n = (;\nexport const m = OLD;\n';
  const repo = makeRepo({ 'src/a.ts': 'import { OLD } from "./old";\nexport const a = OLD;\n', 'src/broken.ts': broken });
  repos.push(repo);
  expect((await runPhase(repo, 'discover')).status).toBe('committed');
  const r = await runPhase(repo, 'toy-rewrite');
  expect(r.status).toBe('committed');
  expect(readFileSync(path.join(repo, 'src/broken.ts'), 'utf8')).toBe(broken); // byte-identical
  const body = git(repo, 'log', '-1', '--format=%B');
  const committed = git(repo, 'show', '--format=', '--name-only', 'HEAD').trim().split('\n');
  expect(committed).toEqual(['src/a.ts']);
  // the runner's own count of what was kept (countEdits: src/a.ts's two adjacent changed lines are
  // one region), not the phase's 4 sites, 2 of them in broken.ts, which was never written
  expect(body).toContain('SSOT-Edits: 1\n');
  expect(r.edits).toBe(1);
  expect(body).toContain('SSOT-Files: 1\n');
  expect(body.split('\n')[0]).toBe('ssot(toy-rewrite): rewrote 4 site(s); 1 file(s) of it left untouched (output does not parse): 1 edit(s) in 1 file(s) committed');
  expect(body).toMatch(/Left untouched \(1\):\n- src\/broken\.ts:2 output does not parse/);
});
