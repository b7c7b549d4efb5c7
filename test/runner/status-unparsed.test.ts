/**
 * `status` over a tree where the only legacy import left is in a file that does not parse: the
 * scan cannot count it, so the figures alone said "compliance 100.0%; 0 legacy import site(s)".
 * The file is named next to them (text and --json). Real repo, real CLI.
 */
import { rmSync } from 'node:fs';
import { afterAll, expect, test } from 'vitest';
import { repoStatus } from '../../scripts/runner/index.js';
import { makeRepo } from './fixture-repo.js';
import { cliSync } from './cli-process.js';

const repos: string[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

test('a file naming the legacy module that does not parse is listed next to figures that cannot count it', async () => {
  const repo = makeRepo({
    'src/a.ts': 'import { NEW } from "./canonical";\nexport const a = NEW;\n',
    'src/bad.ts': 'import { OLD } from "./old";\nexport const x = (;\nexport const y = OLD;\n',
    'src/other.ts': 'export const z = (;\n', // does not parse either, but names nothing legacy: not listed
  });
  repos.push(repo);
  const s = await repoStatus(repo);
  expect(s).toMatchObject({ compliance: 100, legacyImportSites: 0 });
  expect(s.unparsed).toEqual([{ file: 'src/bad.ts', line: 2, message: expect.stringContaining('xpression expected') }]);
  // the verdict already counted it; the summary line now agrees
  expect(s.verdicts[0]!.checks.find((c) => c.name === 'imports')?.status).toBe('fail');
  const text = cliSync(['status', '--repo', repo]);
  expect(text.code).toBe(0);
  expect(text.out).toContain('compliance 100.0%; 0 legacy import site(s)');
  expect(text.out).toContain('not counted: 1 file(s) naming a legacy module or symbol do not parse');
  expect(text.out).toContain('src/bad.ts:2 does not parse:');
  const json = JSON.parse(cliSync(['status', '--repo', repo, '--json']).out) as { unparsed?: unknown[] };
  expect(json.unparsed).toHaveLength(1);
});
