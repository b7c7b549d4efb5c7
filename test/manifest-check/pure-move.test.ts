/**
 * A pure module move: the manifest gives only canonical.module, canonical.exports, legacy and
 * verify (no contextType, factory, adapters or duplicateTypes), selects discover and
 * rewrite-imports, and the runner commits both on a tiny real git repo. Selecting strangle
 * without canonical.factory is refused before any file is touched, naming field and phase.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runPhase } from '../../scripts/runner/index.js';
import { git, makeCheckRepo } from './fixture.js';

const repos: string[] = [];
afterAll(() => repos.forEach((r) => rmSync(r, { recursive: true, force: true })));

const MOVE = {
  canonical: { module: 'src/next/mode', exports: ['Mode', 'MODES'] },
  legacy: [{ id: 'MOV001', module: 'src/old/mode', symbols: { Mode: 'Mode', MODES: 'MODES' } }],
  verify: { typecheck: 'node -e 0', test: 'node -e 0' },
  phases: ['discover', 'rewrite-imports'],
};
const FILES = {
  'src/old/mode.ts': "export type Mode = 'a' | 'b';\nexport const MODES: Mode[] = ['a', 'b'];\n",
  'src/next/mode.ts': "export type Mode = 'a' | 'b';\nexport const MODES: Mode[] = ['a', 'b'];\n",
  'src/use.ts': "import { MODES, type Mode } from './old/mode';\nexport const first: Mode = MODES[0]!;\n",
  'src/deep/use2.ts': "import { Mode } from '../old/mode';\nexport const m: Mode = 'b';\n",
};

describe('a pure module move', () => {
  test('runs discover and rewrite-imports end to end with only the four fields', async () => {
    const repo = makeCheckRepo(MOVE, FILES);
    repos.push(repo);
    const d = await runPhase(repo, 'discover');
    expect(d.status, d.reason).toBe('committed');
    const r = await runPhase(repo, 'rewrite-imports');
    expect(r.status, r.reason).toBe('committed');
    expect(readFileSync(path.join(repo, 'src/use.ts'), 'utf8')).toBe("import { MODES, type Mode } from './next/mode';\nexport const first: Mode = MODES[0]!;\n");
    expect(readFileSync(path.join(repo, 'src/deep/use2.ts'), 'utf8')).toBe("import { Mode } from '../next/mode';\nexport const m: Mode = 'b';\n");
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(git(repo, 'log', '-1', '--format=%B')).toMatch(/SSOT-Phase: rewrite-imports/);
  }, 300_000);

  test('selecting strangle without canonical.factory/contextType is refused at preflight, naming field and phase, tree untouched', async () => {
    const repo = makeCheckRepo({ ...MOVE, phases: ['discover', 'strangle', 'rewrite-imports'] }, FILES);
    repos.push(repo);
    const before = git(repo, 'rev-parse', 'HEAD');
    const o = await runPhase(repo, 'discover', { dryRun: true });
    expect(o.status).toBe('refused');
    expect(o.step).toBe('preflight');
    expect(o.reason).toContain('ssot.config.json: canonical.contextType: canonical.contextType is required by phase strangle');
    expect(o.reason).toContain('ssot.config.json: canonical.factory: canonical.factory is required by phase strangle');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(before);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  }, 300_000);

  test('a legacy module that does not exist is refused by run --dry-run before any phase plans', async () => {
    const repo = makeCheckRepo({ ...MOVE, legacy: [{ id: 'MOV001', module: 'src/old/mdoe', symbols: { Mode: 'Mode' } }] }, FILES);
    repos.push(repo);
    writeFileSync(path.join(repo, 'untracked.txt'), 'x'); // dry run ignores dirt; the check still runs
    const o = await runPhase(repo, 'rewrite-imports', { dryRun: true });
    expect(o.status).toBe('refused');
    expect(o.reason).toContain('legacy[0].module: module "src/old/mdoe" does not exist in the repo (did you mean "src/old/mode"?)');
  }, 300_000);
});
