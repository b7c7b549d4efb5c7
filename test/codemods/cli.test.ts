import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../scripts/cli.js';

describe('ssot-migrate CLI dispatch (discover / run)', () => {
  let err = '';
  let out = '';
  const empty = mkdtempSync(join(tmpdir(), 'ssot-cli-'));
  beforeEach(() => {
    err = '';
    out = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it('lists the commands and refuses an unknown one', async () => {
    expect(await main(['--help'])).toBe(0);
    expect(out).toMatch(/discover/);
    expect(out).toMatch(/\brun\b/);
    expect(await main(['frobnicate'])).toBe(2);
    expect(err).toContain('unknown command "frobnicate"');
  });

  it('refuses an unknown phase or option with the usage', async () => {
    expect(await main(['run', 'teleport', '--repo', empty])).toBe(2);
    expect(err).toContain('unknown phase "teleport"');
    expect(err).toContain('usage: ssot-migrate run');
    expect(await main(['discover', '--bogus'])).toBe(2);
    expect(err).toContain("Unknown option '--bogus'");
  });

  it('a repo without a manifest is a clear error, not a crash', async () => {
    expect(await main(['discover', '--repo', empty])).toBe(1);
    expect(err).toMatch(/ssot-migrate discover: .*ssot\.config\.json/);
  });
});
