/** `ssot-migrate discover` (without `run`) writes nothing into the work tree: print, --json, --out FILE. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { main } from '../../scripts/cli.js';
import { git, makeRepo, treeDigest } from './fixture-repo.js';

const FILES = { 'src/a.ts': 'import { OLD } from "./old";\nexport const a = OLD;\n' };

describe('discover is read-only', () => {
  const repo = makeRepo(FILES);
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'ssot-discover-out-'));
  let out = '';
  beforeEach(() => {
    out = '';
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => {
    rmSync(repo, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
  });

  test('printing, --json and --out FILE leave `git status` empty and the tree byte-identical', async () => {
    const before = treeDigest(repo);
    expect(await main(['discover', '--repo', repo])).toBe(0);
    expect(out).toMatch(/SSOT compliance 0%/);
    expect(await main(['discover', '--repo', repo, '--json'])).toBe(0);
    expect(JSON.parse(out.slice(out.indexOf('{'))).compliance.total).toBe(1);
    const file = path.join(outDir, 'inv.json');
    expect(await main(['discover', '--repo', repo, '--out', file])).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).compliance.total).toBe(1);
    expect(await main(['discover', '--repo', repo, '--out', path.join(outDir, 'inv.md')])).toBe(0);
    expect(readFileSync(path.join(outDir, 'inv.md'), 'utf8')).toMatch(/compliance/i);
    expect(git(repo, 'status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(treeDigest(repo)).toBe(before);
  });
});

describe('discover says of how many files "failed to parse" is', () => {
  // a file naming no legacy module is not parsed: "0 files failed to parse" read as the repo's
  // verdict while such a file did not parse (seen on a real backend's stray scratch file)
  const repo = makeRepo({ ...FILES, 'src/scratch.ts': 'export function (x {\n' });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  test('"0 of N parsed", and how many were not parsed', async () => {
    let out = '';
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
    try {
      expect(await main(['discover', '--repo', repo])).toBe(0);
    } finally {
      vi.restoreAllMocks();
    }
    expect(out).toMatch(/, 0 of \d+ parsed file\(s\) failed to parse \(\d+ other file\(s\) name no legacy module and were not parsed\)\n/);
  });
});
