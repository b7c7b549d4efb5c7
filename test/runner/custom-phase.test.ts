/**
 * A custom phase declared in the manifest runs through the same runner as the built-in ones: the
 * example jscodeshift transform (codemods/custom-phases/rename-method.ts) as a dry run, a verified
 * commit with trailers, a review, a refused second run, a failed verification that restores the
 * tree, and a rollback.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { buildReview } from '../../scripts/review/index.js';
import { committedPhases, repoStatus, rollbackPhase, runPhase } from '../../scripts/runner/index.js';
import { git, makeRepo, treeDigest } from './fixture-repo.js';

const example = readFileSync(new URL('../../codemods/custom-phases/rename-method.ts', import.meta.url), 'utf8');
const repos: string[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

function repoWithRename(): string {
  const repo = makeRepo(
    {
      'codemods/rename-method.ts': example,
      'src/sender.ts': 'export class Sender {\r\n  sendMessage(u: string) {\r\n    return u;\r\n  }\r\n}\r\n',
      'src/use.ts': "import { Sender } from './sender';\nexport const r = new Sender().sendMessage('u1');\nexport const label = 'sendMessage';\n",
      'src/other.ts': 'export const nothing = 1;\n',
      'src/broken.ts': 'export const = sendMessage(;\n',
    },
    {
      phases: ['discover', 'rename-send'],
      customPhases: [{ name: 'rename-send', kind: 'jscodeshift', path: 'codemods/rename-method.ts', after: 'discover', options: { from: 'sendMessage', to: 'sendToUser' }, prefilter: ['sendMessage'] }],
    },
  );
  repos.push(repo);
  return repo;
}

describe('a custom jscodeshift phase', () => {
  test('dry run, verified commit, review, second run, rollback', async () => {
    const repo = repoWithRename();
    expect((await runPhase(repo, 'discover')).status).toBe('committed');
    const prePhase = treeDigest(repo);
    const preTree = git(repo, 'rev-parse', 'HEAD^{tree}');

    const dry = await runPhase(repo, 'rename-send', { dryRun: true });
    expect(dry.status).toBe('dry-run');
    expect(dry.diff).toContain('-  sendMessage(u: string) {');
    expect(dry.diff).toContain('+  sendToUser(u: string) {');
    expect(dry.diff).toContain("+export const r = new Sender().sendToUser('u1');");
    expect(treeDigest(repo)).toBe(prePhase);

    const o = await runPhase(repo, 'rename-send');
    expect(o.status, o.reason).toBe('committed');
    expect(o.files).toBe(2);
    expect(o.edits).toBe(2);
    expect(o.problems?.map((p) => p.file)).toEqual(['src/broken.ts']);
    const body = git(repo, 'log', '-1', '--format=%B');
    expect(body).toMatch(/^ssot\(rename-send\): codemods\/rename-method\.ts: 2 edit\(s\) in 2 file\(s\)/);
    expect(body).toContain('SSOT-Phase: rename-send');
    expect(body).toContain('Left untouched (1):\n- src/broken.ts:1 does not parse');
    // only the names changed: CRLF kept, the string literal and the unparsable file untouched
    expect(readFileSync(path.join(repo, 'src/sender.ts'), 'utf8')).toBe('export class Sender {\r\n  sendToUser(u: string) {\r\n    return u;\r\n  }\r\n}\r\n');
    expect(readFileSync(path.join(repo, 'src/use.ts'), 'utf8')).toContain("export const label = 'sendMessage';");
    expect(readFileSync(path.join(repo, 'src/broken.ts'), 'utf8')).toBe('export const = sendMessage(;\n');

    const { report } = await buildReview(repo, 'rename-send');
    expect(report.phase).toBe('rename-send');
    expect(report.files.map((f) => f.path).sort()).toEqual(['src/sender.ts', 'src/use.ts']);
    expect(report.attention.leftUntouched.map((i) => i.file)).toEqual(['src/broken.ts']);

    const status = await repoStatus(repo);
    expect(status.phases.find((p) => p.phase === 'rename-send')).toMatchObject({ state: 'done', custom: true });
    expect((await runPhase(repo, 'rename-send')).status).toBe('nothing-to-do');

    const rb = await rollbackPhase(repo, 'rename-send');
    expect(rb.ok, rb.reason).toBe(true);
    expect(git(repo, 'rev-parse', 'HEAD^{tree}')).toBe(preTree);
    expect(treeDigest(repo)).toBe(prePhase);
    expect([...(await committedPhases(repo)).keys()]).toEqual(['discover']);
  }, 120_000);

  test('a custom phase whose change breaks verification leaves the tree byte-identical', async () => {
    const repo = repoWithRename();
    await runPhase(repo, 'discover');
    const before = treeDigest(repo);
    // the toy typecheck counts BROKEN tokens: renaming to BROKEN adds type errors
    const o = await runPhase(repo, 'rename-send', { options: { to: 'BROKEN' } });
    expect(o).toMatchObject({ status: 'failed', step: 'verify' });
    expect(o.reason).toMatch(/TypeScript errors rose from 0 to 2/);
    expect(treeDigest(repo)).toBe(before);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  }, 120_000);
});
