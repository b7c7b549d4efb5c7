import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./__fixtures__/warn-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function run(flags: string[]) {
  const r = spawnSync(process.execPath, [...flags, '--import', 'tsx', CHILD], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, SSOT_SHIM_TELEMETRY: 'off', SSOT_SHIM_TOGGLES: 'off', SSOT_SHIM: '', NODE_OPTIONS: '' },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("Node's deprecation flags apply to shim warnings", () => {
  it('warns once per call site with the id as code', () => {
    const r = run([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('constructed');
    expect(r.stderr.match(/\[WSMT1\] DeprecationWarning/g)).toHaveLength(2);
    const lines = readFileSync(CHILD, 'utf8').split('\n');
    const lineOf = (m: string) => lines.findIndex((l) => l.includes(m)) + 1;
    expect(r.stderr).toContain(`warn-child.ts:${lineOf('SITE_LOOP')}`);
    expect(r.stderr).toContain(`warn-child.ts:${lineOf('SITE_SECOND')}`);
  });

  it('--no-deprecation silences them', () => {
    const r = run(['--no-deprecation']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('WSMT1');
  });

  it('--throw-deprecation turns the first use into an uncaught exception (Node throws it on the next tick)', () => {
    const r = run(['--throw-deprecation']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/DeprecationWarning[^\n]*WSMT1|WSMT1[^\n]*DeprecationWarning|code: 'WSMT1'/);
  });
});
