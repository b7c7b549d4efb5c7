/**
 * `ssot-migrate discover` (read-only) reports what `run discover` commits: the proposed moves,
 * splits and decisions too — printed, in --json and in --out FILE.md. It used to print and write
 * the bare inventory, so a person reading it before writing the manifest never saw the proposals.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { goodManifest, makeCheckRepo, type Json } from '../manifest-check/fixture.js';
import { BUILT_CLI } from '../runner/cli-process.js';

const root = path.resolve(import.meta.dirname, '../..');
// the built CLI (dist/, as an installed package runs it; test/runner/built-cli.mjs), not the checkout's bin, which runs the
// sources through tsx: ~0.35 CPU-s more a start for --version, 1.3-2.4 for an init (test/cli/basics.test.ts keeps the checkout's bin)
const bin = BUILT_CLI;
let repo = '';

beforeAll(() => {
  const m = goodManifest() as Json & { classes: Json[] };
  m.classes[0]!['members'] = { send: '$user($1).sendToUser($1, $2)' };
  delete m.classes[0]!['legacyMembers'];
  repo = makeCheckRepo(m, {
    // `presence` has no template and the app reads it: the class is app state too (a split)
    'src/ws/manager.ts': "import { Base } from './base';\nexport class Manager extends Base {\n  send(userId: string, data: unknown): void { void userId; void data; }\n  presence(userId: string): string { return userId; }\n  get mode(): string { return 'legacy'; }\n}\nexport function getManager(): Manager { return new Manager(); }\nexport type ManagerMode = 'legacy' | 'canonical';\nexport interface ManagerProtocol { connectionCount(): number }\n",
    'src/app.ts': "import { Manager } from './ws/manager';\nexport const m = new Manager();\nexport const seen = m.presence('u1');\n",
  });
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

test('discover prints, writes and --json-s the proposals run discover commits', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, [bin, ...args, '--repo', repo], { cwd: root, encoding: 'utf8' });
  const text = cli(['discover']);
  expect(text.status, text.stderr).toBe(0);
  expect(text.stdout).toMatch(/^proposed split \(manifest splits\): \{"module":"src\/ws\/manager","class":"Manager",.*"keep":\[[^\]]*"presence"/m);
  const md = path.join(repo, 'inventory-copy.md');
  expect(cli(['discover', '--out', md]).status).toBe(0);
  expect(readFileSync(md, 'utf8')).toContain('## Proposed splits (1)');
  const json = JSON.parse(cli(['discover', '--json']).stdout) as { splitProposals: Array<{ class: string; keep: string[] }> };
  expect(json.splitProposals.map((s) => s.class)).toEqual(['Manager']);
}, 120_000);
