/**
 * What a team learns before any phase runs, on a real git repo (CommonJS JavaScript, no types):
 * `init` and `discover` say which legacy module strangle will refuse (file:line and the reason — the
 * decision strangle itself acts on, strangle/refusal.ts), `init` drafts what the exported instance
 * needs, and discover lists the extensionless Node script (`bin/www`) that keeps a legacy module in
 * use (legacy-use's answer, the one remove-shim's gate counts).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTransform, type Inventory } from '../../codemods/index.js';
import { git, makeGitRepo } from '../helpers/git-repo.js';
import { BUILT_CLI } from '../runner/cli-process.js';

const root = path.resolve(import.meta.dirname, '../..');
// the built CLI (dist/, as an installed package runs it; test/runner/built-cli.mjs), not the checkout's bin, which runs the
// sources through tsx: ~0.35 CPU-s more a start for --version, 1.3-2.4 for an init (test/cli/basics.test.ts keeps the checkout's bin)
const bin = BUILT_CLI;
const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const FILES: Record<string, string> = {
  'package.json': `${JSON.stringify({ name: 'early-warnings', version: '1.0.0', private: true, scripts: { test: 'node -e 0' } }, null, 2)}\n`,
  'src/ws/manager.js': `'use strict';
class WsManager {
  constructor() { this.sockets = new Map(); }
  sendToUser(userId, event, data) {
    for (const s of this.sockets.get(userId) || []) s.send(JSON.stringify({ event, data }));
  }
}

module.exports = new WsManager();
`,
  'src/ws/rooms.js': `'use strict';
class RoomBoard {
  constructor() { this.rooms = new Map(); }
  join(room, userId) { (this.rooms.get(room) || this.rooms.set(room, new Set()).get(room)).add(userId); }
}

const board = new RoomBoard();
Object.assign(module.exports, { board, RoomBoard });
`,
  'src/server.js': `'use strict';
const wsManager = require('./ws/manager');
const { board } = require('./ws/rooms');

function greet(userId) {
  board.join('lobby', userId);
  wsManager.sendToUser(userId, 'hello', {});
}

module.exports = { greet, plugins: [wsManager] };
`,
  'bin/www': `#!/usr/bin/env node
'use strict';
const wsManager = require('../src/ws/manager');
require('../src/server');
process.on('SIGTERM', () => wsManager.sockets.clear());
`,
};

const repo = makeGitRepo('early-warnings-', FILES);
chmodSync(path.join(repo, 'bin/www'), 0o755);
afterAll(() => rmSync(repo, { recursive: true, force: true }));

const REFUSED = /strangle will refuse src\/ws\/rooms: a CommonJS module whose exports cannot be read safely: module\.exports is used as a value \(Object\.assign\(module\.exports, \{ board, RoomBoard \}\)\): the exports may change at run time, src\/ws\/rooms\.js:8/;

describe('early warnings on a CommonJS backend (real git repo)', () => {
  it('init warns that strangle will refuse the Object.assign module, with file:line, and lists the exported instance with its read as a value', () => {
    const r = cli(['init', '--repo', repo, '--legacy', 'src/ws/manager.js', '--legacy', 'src/ws/rooms.js']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('warning: strangle will refuse 1 legacy module(s) as written');
    expect(r.out).toMatch(REFUSED);
    // module.exports = new WsManager(): found through require(); its read as a value (plugins: [wsManager]) is a person's decision
    expect(r.out).toMatch(/exported instances \(1\)/);
    // drafted in every export shape (remove-adapters reads `module.exports = new M()` as `default`)
    expect(r.out).toMatch(/ {2}default \(src\/ws\/manager, module\.exports, src\/ws\/manager\.js:9\) of WsManager: 1 file\(s\), 1 read\(s\) as a value {2}instances\[0\] drafted/);
    expect(r.out).toMatch(/required {2}instances\[0\]\.replacement: default, an instance of legacy class WsManager exported as `module\.exports …` \(src\/ws\/manager\.js:9\), is read as a value at src\/server\.js:10: drafted as "\$hub"/);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'ssot.config.json drafted by init');
  });

  it('discover says the same refusal, and lists bin/www as code that keeps src/ws/manager in use (no phase edits it)', async () => {
    // one discover: the text on stdout, the JSON inventory to --out (outside the repo), not a second CLI run with --json
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'ssot-early-inv-')), 'inventory.json');
    const r = cli(['discover', '--repo', repo, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(REFUSED);
    expect(r.out).toMatch(/Node script \(no phase edits it; keeps the module in use\): bin\/www:3 reaches \.\.\/src\/ws\/manager \(src\/ws\/manager, LEG\d{3}\)/);

    const inv = JSON.parse(readFileSync(out, 'utf8')) as Inventory;
    rmSync(path.dirname(out), { recursive: true, force: true });
    expect(inv.strangleRefusals).toEqual([{ module: 'src/ws/rooms', file: 'src/ws/rooms.js', line: 8, reason: expect.stringMatching(/^a CommonJS module whose exports cannot be read safely: module\.exports is used as a value/) }]);
    expect(inv.nodeScripts?.map((i) => [i.file, i.line, i.specifier, i.module])).toEqual([['bin/www', 3, '../src/ws/manager', 'src/ws/manager']]);

    // run discover's plan writes the same into .ssot/inventory.md and lists both as needs review
    const report = await runTransform('discover', repo, { dryRun: true });
    const md = String(report.plan.writes.find((w) => w.path === '.ssot/inventory.md')?.content);
    expect(md).toMatch(new RegExp(`- ${REFUSED.source}`));
    expect(md).toMatch(/## Node scripts reaching legacy modules \(1\)/);
    expect(md).toContain('- `bin/www:3` reaches `../src/ws/manager` (src/ws/manager, ');
    expect(report.plan.needsReview.map((n) => `${n.file}:${n.line}`)).toEqual(['src/ws/rooms.js:8', 'bin/www:3']);
    expect(report.plan.summary).toMatch(/strangle will refuse 1 module\(s\), 1 Node script import\(s\) of legacy modules/);
  });

  it('strangle then refuses exactly that module, at that line, for that reason: one decision', async () => {
    const report = await runTransform('strangle', repo, { dryRun: true });
    const p = report.plan.problems.find((x) => x.file === 'src/ws/rooms.js');
    expect(p?.line).toBe(8);
    const inv = JSON.parse(cli(['discover', '--repo', repo, '--json']).out) as Inventory;
    expect(p?.message).toBe(`${inv.strangleRefusals![0]!.reason}; left untouched`);
    // the other module is strangled, and the refused one left byte-identical
    expect(report.plan.writes.some((w) => w.path === 'src/ws/manager.js')).toBe(true);
    expect(report.plan.writes.some((w) => w.path.startsWith('src/ws/rooms'))).toBe(false);
    expect(readFileSync(path.join(repo, 'src/ws/rooms.js'), 'utf8')).toBe(FILES['src/ws/rooms.js']);
  });
});
