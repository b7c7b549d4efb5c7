/**
 * The runner's CLI commands (run / status / check / rollback), through the built CLI, on the
 * runner's toy fixture selecting the built-in phases' chain (discover → move-declarations →
 * strangle → rewrite-imports): what is tested is the commands, their output and exit codes, not
 * a codemod — the installed bin runs the real phases on examples/legacy-app in
 * test/package/pack.test.ts (and interrupt.test.ts in process), so each verify here is the
 * fixture's own small commands rather than legacy-app's tsc and vitest.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { git, makeRepo, TWO_FILES } from './fixture-repo.js';
import { cliSync } from './cli-process.js';

let repo = '';
const cli = (...args: string[]) => cliSync([...args, '--repo', repo]);

describe('ssot-migrate run / status / check / rollback', () => {
  beforeAll(() => {
    repo = makeRepo(TWO_FILES, { phases: ['discover', 'move-declarations', 'strangle', 'rewrite-imports'], customPhases: [] });
  }, 120_000);
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  test('run discover commits; status shows it done and the next phase pending; a second run says nothing to do', () => {
    const r = cli('run', 'discover');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/discover: committed/);
    expect(git(repo, 'log', '-1', '--format=%s')).toMatch(/^ssot\(discover\): inventory/);
    const s = cli('status', '--json');
    expect(s.code, s.err).toBe(0);
    const status = JSON.parse(s.out) as { phases: { phase: string; state: string }[]; legacyImportSites: number; compliance: number };
    expect(status.phases.find((p) => p.phase === 'discover')?.state).toBe('done');
    expect(status.phases.find((p) => p.phase === 'move-declarations')?.state).toBe('pending');
    expect(status.phases.find((p) => p.phase === 'strangle')?.state).toBe('blocked');
    expect(status.phases.find((p) => p.phase === 'rewrite-imports')?.state).toBe('blocked');
    expect(status.legacyImportSites).toBeGreaterThan(0);
    const again = cli('run', 'discover');
    expect(again.code).toBe(0);
    expect(again.err).toMatch(/nothing-to-do/);
  }, 300_000);

  test('a gated phase is refused with the reason and exit 1; a usage error exits 2', () => {
    const r = cli('run', 'rewrite-imports');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/refused \(at gate\)[\s\S]*strangle/);
    expect(cli('run', 'teleport').code).toBe(2);
    expect(cli('rollback').code).toBe(2);
  }, 120_000);

  test('check writes a baseline, then passes; rollback discover reverts it', () => {
    const first = cli('check');
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/no baseline yet/);
    expect(cli('check').code).toBe(0);
    rmSync(path.join(repo, '.ssot', 'ratchet.json'));
    const rb = cli('rollback', 'discover');
    expect(rb.code, rb.err).toBe(0);
    expect(rb.out).toMatch(/reverted discover/);
    expect(git(repo, 'log', '-1', '--format=%B')).toContain('SSOT-Rollback: discover');
  }, 300_000);
});
